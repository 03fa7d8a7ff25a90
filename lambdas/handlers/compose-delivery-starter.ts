import { readEnvironment, required } from '../adapters/config';
import { stepFunctionsDeliveryStarter } from '../adapters/delivery-starter';
import { stepFunctions } from '../adapters/sfn-client';
import type { DeliveryStarter } from '../use-cases/outbound-webhooks';

// The outbound ports of those that start webhook deliveries (the dispatcher, the admin's redrive): the starter,
// with the delivery state machine's ARN (read on first use: the admin function has it, but uses it rarely).

let starter: DeliveryStarter | undefined;

export function deliveryStarter(): DeliveryStarter {
  starter ??= stepFunctionsDeliveryStarter(stepFunctions(), required(readEnvironment(), 'WEBHOOK_DELIVERY_STATE_MACHINE_ARN'));
  return starter;
}
