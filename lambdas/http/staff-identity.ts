import * as z from '../core/zod';
import { Forbidden, InvalidConfiguration, Unauthenticated } from '../core/errors';
import { staffDirectorySchema, staffForPrincipal, type StaffDirectory, type StaffMember } from '../core/staff';
import { parsedConfiguration } from '../core/validation';

// Who is calling the admin API. API Gateway's IAM authorizer has already checked the SigV4 signature (the
// local server does the same check) and names the caller in `requestContext.authorizer.iam`; the staff
// directory says which person, role and departments that IAM principal stands for.

const iamIdentitySchema = z.object({
  authorizer: z.object({ iam: z.object({ userArn: z.string().check(z.minLength(1)) }) }),
});

/**
 * The staff member behind an API Gateway v2 event with an IAM authorizer.
 * No identity (the route is not behind the IAM authorizer) → `Unauthenticated`; a signed-in IAM principal
 * that is not in the directory → `Forbidden`.
 */
export function staffFromEvent(event: { requestContext: object }, directory: StaffDirectory): StaffMember {
  const identity = iamIdentitySchema.safeParse(event.requestContext);
  if (!identity.success) throw new Unauthenticated('This route requires an AWS SigV4-signed request');
  const staff = staffForPrincipal(directory, identity.data.authorizer.iam.userArn);
  if (!staff) throw new Forbidden('Your IAM identity is not registered as staff.');
  return staff;
}

/**
 * Validates a staff directory (the parsed JSON of config/staff.*.json) once, at cold start, and fails
 * fast with the offending fields. The message names fields only, never values, so no secret reaches a log.
 */
export function loadStaffDirectory(json: unknown): StaffDirectory {
  return parsedConfiguration(
    staffDirectorySchema,
    json,
    (problems) => new InvalidConfiguration(`The staff directory is not valid: ${problems}`),
    '(directory)',
  );
}
