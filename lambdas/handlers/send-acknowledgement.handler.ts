import { z } from 'zod';
import { dynamo, ses } from '../adapters/clients';
import { readEnvironment, required } from '../adapters/config';
import { dynamoComplaintRepository } from '../adapters/complaint-repository';
import { log } from '../adapters/logger';
import { sesMailer } from '../adapters/mailer';
import { acknowledgeComplaint } from '../use-cases/acknowledge-complaint';

const env = readEnvironment();
const ports = {
  complaints: dynamoComplaintRepository(dynamo(), env.TABLE_NAME),
  mailer: sesMailer(ses(), required(env, 'SENDER_ADDRESS'), env.SES_CONFIGURATION_SET),
  now: () => new Date(),
  companyName: env.COMPANY_NAME,
};

const stepInput = z.object({ complaintId: z.string().min(1) });

/** Workflow step. Errors keep their names (EmailTemporarilyUnavailable…) so the ASL's Retry can match them. */
export const handler = async (input: unknown) => {
  const { complaintId } = stepInput.parse(input);
  const acknowledgement = await acknowledgeComplaint(complaintId, ports);
  log.info('acknowledgement sent', { complaintId, step: 'SendAcknowledgement', messageId: acknowledgement.messageId });
  return acknowledgement;
};
