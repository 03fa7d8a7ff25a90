import { Annotations, CfnParameter, CfnRule, Fn, type Stack } from 'aws-cdk-lib';

// A deployment must not go out with demo configuration by accident (the placeholder sender, the demo
// departments' *.example addresses): e-mail to those addresses reaches nobody, so reminders and escalations
// would vanish. Synth still works, offline and with demo configuration, so anyone can try `npx cdk synth`;
// but the template then carries a CloudFormation rule that fails every `cdk deploy` (CloudFormation checks
// rules before it creates or changes anything) with the list of demo addresses, unless `-c demo=true` says
// the demo is meant. The same mechanism as CDK's own bootstrap-version check: a rule on a parameter.

export const DEMO_PARAMETER = 'DemoConfiguration';
export const DEMO_RULE = 'NoDemoConfiguration';

/**
 * Makes `stack` undeployable while `demoFindings` is not empty, unless `demoAllowed`. Either way synth warns,
 * naming each finding.
 */
export function guardAgainstDemoDeploy(stack: Stack, demoFindings: readonly string[], demoAllowed: boolean): void {
  if (demoFindings.length === 0) return;
  const list = demoFindings.join('; ');
  if (demoAllowed) {
    Annotations.of(stack).addWarningV2('reklamacje:demoDeployment', `Demo deployment (-c demo=true): e-mail to ${list} reaches nobody.`);
    return;
  }
  Annotations.of(stack).addWarningV2(
    'reklamacje:demoConfiguration',
    `Demo configuration (${list}): this template cannot be deployed. Give -c senderAddress=… -c departments=… (see README, "Deploying to AWS"), or -c demo=true for a throw-away try-out.`,
  );
  // One allowed value, so the rule cannot be talked out of with --parameters: only a new synth can.
  const parameter = new CfnParameter(stack, DEMO_PARAMETER, {
    type: 'String',
    default: 'demo',
    allowedValues: ['demo'],
    description: 'Set by cdk synth: this template was synthesized with demo configuration and refuses to deploy.',
  });
  new CfnRule(stack, DEMO_RULE, {
    assertions: [
      {
        assert: Fn.conditionNot(Fn.conditionEquals(parameter.valueAsString, 'demo')),
        assertDescription: truncate(
          'Refusing to deploy demo configuration: synthesize again with your own -c senderAddress=... and ' +
            `-c departments=FILE (or -c demo=true for a throw-away try-out). Demo addresses: ${list}`,
        ),
      },
    ],
  });
}

/** CloudFormation limits an AssertDescription to 1,024 characters (the same as a parameter description). */
function truncate(text: string): string {
  return text.length <= 1024 ? text : `${text.slice(0, 1020)} …`;
}
