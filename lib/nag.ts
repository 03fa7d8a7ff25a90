import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

// cdk-nag 3 acknowledges each wildcard finding by its exact text, e.g.
// `AwsSolutions-IAM5[Resource::<FunctionsSendAcknowledgementFunctionDC3A8C03.Arn>:*]`. Rather than copy logical
// ids into the code, the finding is computed from the same ARN expression the grant uses, flattened the way
// cdk-nag flattens CloudFormation references (GetAtt → <Id.Attr>, Ref → <Id>, ImportValue → its name).

/** Acknowledges the AwsSolutions-IAM5 finding for `resource` (e.g. `${fn.functionArn}:*`) on `scope`. */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  const flat = flatten(Stack.of(scope).resolve(resource));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const value = node as Record<string, unknown>;
    if (Array.isArray(value['Fn::Join'])) {
      const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if ('Fn::Sub' in value) return flatten(value['Fn::Sub']);
    if (Array.isArray(value['Fn::GetAtt'])) {
      const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if ('Fn::ImportValue' in value) return flatten(value['Fn::ImportValue']);
    if ('Ref' in value) return `<${flatten(value.Ref)}>`;
  }
  return JSON.stringify(node);
}

/** The finding every L2 table grant raises: `<table arn>/index/*`. */
export function acknowledgeTableIndexes(scope: IConstruct, tableArn: string): void {
  acknowledgeWildcardResource(
    scope,
    `${tableArn}/index/*`,
    "The L2 table grant (table.grant with the catalog's actions) covers the complaints table's own secondary " +
      'indexes, which Query needs; no other table.',
  );
}
