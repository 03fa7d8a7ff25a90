import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface EmailProps {
  /** The From address of every e-mail to customers. */
  readonly senderAddress: string;
  /**
   * Verify the whole domain (Easy DKIM: SES gives three CNAME records to publish) instead of the single
   * address (SES e-mails a confirmation link). A verified domain with DKIM is what real mailboxes trust.
   */
  readonly senderDomain?: string;
}

/**
 * SES v2: the sending identity and the configuration set every message goes through. Delivery, bounce and
 * complaint events will be published from this configuration set (an event destination to EventBridge or SNS)
 * once something consumes them; until then SES's account-level suppression list keeps us from mailing
 * addresses that bounced or complained.
 */
export class Email extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly identity: ses.EmailIdentity;
  readonly senderAddress: string;

  constructor(scope: Construct, id: string, props: EmailProps) {
    super(scope, id);
    this.senderAddress = props.senderAddress;
    if (props.senderDomain && !props.senderAddress.toLowerCase().endsWith(`@${props.senderDomain.toLowerCase()}`)) {
      throw new Error(`senderAddress ${props.senderAddress} is not an address of senderDomain ${props.senderDomain}`);
    }

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      // The e-mails carry personal data (name, complaint details): never hand them over unencrypted (GDPR art. 32).
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });

    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: props.senderDomain ? ses.Identity.domain(props.senderDomain) : ses.Identity.email(props.senderAddress),
      configurationSet: this.configurationSet,
    });
  }

  /**
   * ses:SendEmail from the sender address only, through our configuration set only. (In the SES sandbox, SES
   * also checks the permission against each verified recipient's identity; leave the sandbox before launch.)
   */
  grantSend(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          this.identity.emailIdentityArn,
          Stack.of(this).formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.configurationSet.configurationSetName,
          }),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': this.senderAddress } },
      }),
    );
  }
}
