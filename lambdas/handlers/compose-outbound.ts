import { dynamo } from '../adapters/clients';
import { clockFromEnvironment } from '../adapters/clock';
import { readEnvironment } from '../adapters/config';
import { dynamoComplaintRepository } from '../adapters/complaint-repository';
import { dynamoOutboundWebhookStore } from '../adapters/outbound-webhook-store';
import { subscriberHttpClient } from '../adapters/subscriber-http';
import { InvalidConfiguration } from '../core/errors';
import { AWS_SUBSCRIBER_POLICY, LOCAL_SUBSCRIBER_POLICY } from '../core/subscriber-address';
import type { OutboundWebhookPorts } from '../use-cases/outbound-webhooks';

// The outbound webhooks' ports (the dispatcher, the delivery step and the admin routes), built once per process.
// The delivery starter is added by those that start deliveries (deliveryStarter below, a module of its own), so
// that the delivery step's bundle carries no Step Functions client.

type Ports = Omit<OutboundWebhookPorts, 'deliveries'>;
let ports: Ports | undefined;

export function outboundPorts(env: NodeJS.ProcessEnv = process.env): Ports {
  if (ports) return ports;
  const environment = readEnvironment(env);
  const local = environment.OUTBOUND_WEBHOOKS_ALLOW_LOOPBACK === 'true';
  if (local && env.LAMBDA_TASK_ROOT !== undefined) {
    throw new InvalidConfiguration(
      'OUTBOUND_WEBHOOKS_ALLOW_LOOPBACK is for the local product only: in AWS subscribers are HTTPS on public addresses',
    );
  }
  const clock = clockFromEnvironment(env);
  ports = {
    webhooks: dynamoOutboundWebhookStore(dynamo(), environment.TABLE_NAME),
    subscribers: subscriberHttpClient(local ? LOCAL_SUBSCRIBER_POLICY : AWS_SUBSCRIBER_POLICY),
    complaints: dynamoComplaintRepository(dynamo(), environment.TABLE_NAME),
    now: () => clock.now(),
    wallClockSeconds: () => Math.floor(Date.now() / 1000),
  };
  return ports;
}
