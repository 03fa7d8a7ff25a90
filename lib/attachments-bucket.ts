import { Annotations, CfnOutput, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { KEPT_PREFIX, QUARANTINE_PREFIX } from '../lambdas/core/attachments';
import { acknowledgeWildcardResource } from './nag';

// The customers' photos and PDFs (lambdas/core/attachments.ts): stateful, so in the stateful stack, retained
// when the stack goes. Private (no public access, SSL only, SSE-S3), uploads only through presigned POSTs the
// intake function signs, under quarantine/ until intake has checked them and copied them to attachments/.

/** How the stateless stack finds the bucket: named exports, as the table's (see ComplaintsTableRef). */
export interface AttachmentsBucketRef {
  readonly bucketNameExport: string;
  readonly bucketArnExport: string;
}

export interface AttachmentsBucketProps {
  /**
   * The one origin browsers upload from: the site's (`-c publicBaseUrl=`). The CloudFront address is made by
   * the stateless stack, which depends on this one, so it cannot be named here; without `publicBaseUrl` the rule
   * allows any CloudFront address (`https://*.cloudfront.net`), and synth warns. CORS only decides which pages
   * may read S3's answer: an upload still needs a policy the intake function signed.
   */
  readonly uploadOrigin?: string;
}

export class AttachmentsBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly ref: AttachmentsBucketRef;

  constructor(scope: Construct, id: string, props: AttachmentsBucketProps) {
    super(scope, id);
    const logs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This is the access-log bucket itself; logging it into itself would loop.' });

    const origin = props.uploadOrigin ? new URL(props.uploadOrigin).origin : 'https://*.cloudfront.net';
    if (!props.uploadOrigin) {
      Annotations.of(this).addWarningV2(
        'reklamacje:attachmentsCorsOrigin',
        'Attachments: CORS allows uploads from any CloudFront address; set -c publicBaseUrl=<the site> to allow only the site.',
      );
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'attachments/',
      cors: [{ allowedOrigins: [origin], allowedMethods: [s3.HttpMethods.POST], allowedHeaders: ['*'], maxAge: 3000 }],
      lifecycleRules: [
        // What was uploaded and never filed (or filed and copied out) is gone a day later: a slot lives 15 minutes.
        { id: 'quarantine-leftovers', prefix: QUARANTINE_PREFIX, expiration: Duration.days(1) },
        { id: 'unfinished-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S10',
      reason: 'enforceSSL adds the aws:SecureTransport deny to the bucket policy (cdk-nag reads it before the policy is attached).',
    });

    const stackName = Stack.of(this).stackName;
    this.ref = { bucketNameExport: `${stackName}:AttachmentsBucketName`, bucketArnExport: `${stackName}:AttachmentsBucketArn` };
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName, exportName: this.ref.bucketNameExport });
    new CfnOutput(this, 'BucketArn', { value: this.bucket.bucketArn, exportName: this.ref.bucketArnExport });
  }
}

export function importAttachmentsBucket(scope: Construct, id: string, ref: AttachmentsBucketRef): s3.IBucket {
  return s3.Bucket.fromBucketAttributes(scope, id, {
    bucketName: Fn.importValue(ref.bucketNameExport),
    bucketArn: Fn.importValue(ref.bucketArnExport),
  });
}

/** Where browsers POST uploads (the presigned POST's URL, adapters/s3-signing.ts): the CSP's connect-src names it. */
export function uploadOriginOf(bucket: s3.IBucket): string {
  return `https://${bucket.bucketName}.s3.${Stack.of(bucket).region}.amazonaws.com`;
}

/**
 * Exactly what each use of the bucket needs, on its prefix only: signing upload slots (PutObject under
 * quarantine/: a presigned POST carries the signer's permission), checking and keeping an upload (GetObject
 * under quarantine/, PutObject under attachments/: CopyObject is a GetObject of the source and a PutObject of
 * the copy; DeleteObject there, for the copies of a filing that was then refused), and staff links (GetObject
 * under attachments/).
 */
export function grantAttachments(bucket: s3.IBucket, role: iam.IGrantable, use: 'upload' | 'check' | 'read'): void {
  const objects = (prefix: string) => bucket.arnForObjects(`${prefix}*`);
  const statements = {
    upload: [{ actions: ['s3:PutObject'], prefix: QUARANTINE_PREFIX }],
    check: [
      { actions: ['s3:GetObject'], prefix: QUARANTINE_PREFIX },
      { actions: ['s3:PutObject', 's3:DeleteObject'], prefix: KEPT_PREFIX },
    ],
    read: [{ actions: ['s3:GetObject'], prefix: KEPT_PREFIX }],
  }[use];
  for (const { actions, prefix } of statements) {
    iam.Grant.addToPrincipal({ grantee: role, actions, resourceArns: [objects(prefix)] });
    if (role.grantPrincipal instanceof iam.Role) {
      acknowledgeWildcardResource(role.grantPrincipal, objects(prefix), `Objects under ${prefix} only: their keys are ids made at upload time.`);
    }
  }
}
