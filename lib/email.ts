import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Validations } from 'aws-cdk-lib';
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
 * SES v2: the sending identity and the configuration set every message goes through. Its send, delivery,
 * bounce and complaint events go to the default EventBridge bus, where `recordDeliveriesWith` sends them on to the
 * function that keeps them on the complaint; SES's account-level suppression list keeps us from mailing
 * addresses that bounced or complained.
 */
export class Email extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly identity: ses.EmailIdentity;
  readonly senderAddress: string;
  /** SES events that could not be delivered to the recording function (set by `recordDeliveriesWith`). */
  deliveryDeadLetters?: sqs.Queue;

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

  /** Delivery evidence: SES events of this configuration set reach `fn` through the default event bus. */
  recordDeliveriesWith(fn: lambda.IFunction): sqs.Queue {
    const bus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: ses.EventDestination.eventBus(bus),
      // SEND: SES's word that it accepted an e-mail, which lets a retry of a send-once step that died in between
      // complete the e-mail's record instead of sending it again (lambdas/use-cases/send-once.ts).
      events: [ses.EmailSendingEvent.SEND, ses.EmailSendingEvent.DELIVERY, ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    // Delivery evidence must not vanish (art. 61 KC: an answer counts when it reaches the customer): an event
    // EventBridge could not hand to the function within its retries lands here, kept 14 days for a redrive, and
    // its depth raises an alarm.
    const deadLetterQueue = new sqs.Queue(this, 'DeliveryEventsDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the EventBridge rule that carries SES delivery events.',
    });
    new events.Rule(this, 'DeliveryEvents', {
      description: 'SES send, delivery, bounce and complaint events of the complaints configuration set',
      eventPattern: {
        source: ['aws.ses'],
        detailType: ['Email Sent', 'Email Delivered', 'Email Bounced', 'Email Complaint Received'],
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
      },
      targets: [new targets.LambdaFunction(fn, { retryAttempts: 8, maxEventAge: Duration.hours(24), deadLetterQueue })],
    });
    this.deliveryDeadLetters = deadLetterQueue;
    return deadLetterQueue;
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
