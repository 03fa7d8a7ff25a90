import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlertsProps {
  /** Subscribed to every alarm when given (the subscriber confirms by e-mail). */
  readonly alertEmail?: string;
}

/** Where alarms go: one encrypted SNS topic that the on-call address subscribes to. */
export class Alerts extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);

    // A customer-managed key, because CloudWatch alarms cannot publish to a topic encrypted with the
    // AWS-managed aws/sns key: its key policy cannot be extended to the CloudWatch service.
    const key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: 'Encrypts the alarm topic' });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');

    this.topic = new sns.Topic(this, 'Topic', { masterKey: key, enforceSSL: true, displayName: 'Reklamacje alarms' });
    if (props.alertEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alertEmail));
  }

  /**
   * An alarm that fires on a single occurrence (a failed workflow, a stranded stream record: each one is a
   * complaint stuck, worth a page, not a trend), notified to the topic.
   */
  alarmOnAny(scope: Construct, id: string, description: string, metric: cloudwatch.IMetric): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, {
      alarmDescription: description,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.notify(alarm);
    return alarm;
  }

  /**
   * An alarm when `metric` reaches `threshold` in `periods` consecutive evaluation periods (the metric's own
   * period), notified to the topic. Missing data (no traffic) is not a breach.
   */
  alarmWhen(scope: Construct, id: string, description: string, metric: cloudwatch.IMetric, threshold: number, periods = 1): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, {
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: periods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.notify(alarm);
    return alarm;
  }

  /** Sends the alarm's state changes to the topic (into ALARM, and back to OK). */
  notify(alarm: cloudwatch.Alarm): void {
    const action = new actions.SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
