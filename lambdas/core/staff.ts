import * as z from './zod';
import { Forbidden } from './errors';
import { UNASSIGNED } from './unassigned';

// Who works on complaints, and what each role may do. The staff directory (config/staff.*.json) maps an
// IAM principal — what API Gateway's IAM authorizer reports — to a person, a role and departments. Locally,
// where there is no IAM, a member also carries a demo access key that the local server verifies.

export const staffRoles = ['agent', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];

export const staffActions = [
  'complaint:list',
  'complaint:read',
  'complaint:register',
  'complaint:assign',
  'complaint:note',
  'complaint:decide',
  'complaint:request-information',
  'complaint:extend',
  'config:manage',
  'personal-data:manage',
] as const;
export type StaffAction = (typeof staffActions)[number];

/** The department a complaint sits in before anyone routed it; its desk is triage (see `can`). */
export const TRIAGE_DEPARTMENT = 'triage';

const ARN = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(.+)$/;

const departmentId = z.string().check(z.regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be a department id such as "returns"'));

export const staffMemberSchema = z
  .object({
    id: z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be lower-case letters, digits, ".", "_" or "-"')),
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    email: z.email(),
    role: z.enum(staffRoles),
    /** An agent works only on complaints of these departments; supervisors and admins on all of them. */
    departments: z._default(z.array(departmentId), []),
    /** The IAM user or role (or one assumed-role session) this person signs requests with in AWS. */
    principalArn: z.string().check(z.regex(ARN, 'must be an IAM user or role ARN, e.g. arn:aws:iam::123456789012:role/Staff')),
    /** Demo credentials for the local runtime only; in AWS, API Gateway checks signatures against IAM. */
    localAccessKeyId: z.optional(z.string().check(z.regex(/^[A-Z0-9]{16,128}$/, 'must look like an AWS access key id'))),
    localSecretAccessKey: z.optional(z.string().check(z.minLength(20), z.maxLength(128))),
  })
  .check(
    z.refine((member) => member.role !== 'agent' || member.departments.length > 0, {
      message: 'an agent needs at least one department',
      path: ['departments'],
    }),
    z.refine((member) => (member.localAccessKeyId === undefined) === (member.localSecretAccessKey === undefined), {
      message: 'give both localAccessKeyId and localSecretAccessKey, or neither',
      path: ['localSecretAccessKey'],
    }),
  );

export type StaffMember = z.infer<typeof staffMemberSchema>;

export const staffDirectorySchema = z
  .object({
    _comment: z.optional(z.string()),
    staff: z.array(staffMemberSchema),
  })
  .check(
    z.superRefine((directory, context) => {
      // Every lookup must find at most one person: a shared id, key or principal would make "who did this"
      // in a complaint's history ambiguous.
      const seen = { id: new Set<string>(), key: new Set<string>(), principal: new Set<string>() };
      directory.staff.forEach((member, index) => {
        const duplicate = (field: string, message: string) => context.addIssue({ code: 'custom', message, path: ['staff', index, field] });
        if (seen.id.has(member.id)) duplicate('id', `${member.id} appears twice`);
        seen.id.add(member.id);
        if (member.localAccessKeyId !== undefined) {
          if (seen.key.has(member.localAccessKeyId)) duplicate('localAccessKeyId', 'this access key belongs to another member too');
          seen.key.add(member.localAccessKeyId);
        }
        const principal = principalKeyOf(member.principalArn);
        if (seen.principal.has(principal)) duplicate('principalArn', 'this IAM principal belongs to another member too');
        seen.principal.add(principal);
      });
    }),
  );

export type StaffDirectory = z.infer<typeof staffDirectorySchema>;

/**
 * The member an IAM principal (API Gateway's `authorizer.iam.userArn`) belongs to.
 *
 * A caller who assumed a role appears as `arn:aws:sts::123456789012:assumed-role/RoleName/session`, an ARN
 * that carries neither the role's path nor the `iam` service. IAM role and user names are unique within an
 * account whatever their path, so both sides are compared by partition, account and name:
 * `arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/RoleName` matches that caller. A member
 * listed with the assumed-role session itself (IAM Identity Center names the session after the person)
 * wins over a member listed with the whole role, so people sharing a role can still be told apart.
 */
export function staffForPrincipal(directory: StaffDirectory, userArn: string): StaffMember | undefined {
  const caller = parseArn(userArn);
  if (!caller) return undefined;
  const candidates = [principalKeyOf(userArn)];
  const [kind, roleName] = caller.resource.split('/');
  if (caller.service === 'sts' && kind === 'assumed-role' && roleName) candidates.push(`${caller.partition}:${caller.account}:role/${roleName}`);
  for (const candidate of candidates) {
    const member = directory.staff.find((staff) => principalKeyOf(staff.principalArn) === candidate);
    if (member) return member;
  }
  return undefined;
}

/** The member holding a local demo access key (the local server's stand-in for IAM). */
export function staffForAccessKey(directory: StaffDirectory, accessKeyId: string): StaffMember | undefined {
  return directory.staff.find((staff) => staff.localAccessKeyId !== undefined && staff.localAccessKeyId === accessKeyId);
}

/** Partition, account and the principal's name without its path: what identifies an IAM principal. */
function principalKeyOf(arn: string): string {
  const parsed = parseArn(arn);
  if (!parsed) return arn;
  const { partition, service, account } = parsed;
  const [kind, ...rest] = parsed.resource.split('/');
  if (service === 'iam' && (kind === 'user' || kind === 'role') && rest.length > 0) {
    return `${partition}:${account}:${kind}/${rest[rest.length - 1]}`;
  }
  if (service === 'sts' && kind === 'assumed-role' && rest.length === 2) {
    return `${partition}:${account}:assumed-role/${rest[0]}/${rest[1]}`;
  }
  return arn;
}

/** The parts of an IAM or STS ARN; `accountId` of the authorizer context comes from here too. */
export function parseArn(arn: string): { partition: string; service: string; account: string; resource: string } | undefined {
  const match = ARN.exec(arn);
  if (!match) return undefined;
  const [, partition = '', service = '', account = '', resource = ''] = match;
  return { partition, service, account, resource };
}

export interface PermissionContext {
  /** The department of the complaint acted on; for a listing, the department asked for. */
  department?: string;
}

type Scope = 'all-departments' | 'own-departments' | 'never';

/**
 * The permission table. Agents work on the complaints of their own departments; supervisors on all of
 * them, and they alone (with admins) move complaints between departments and extend a deadline, because an
 * extension is a promise to the customer on the company's behalf. Configuration and personal data (export,
 * erasure) are for admins only.
 */
const permissions: Record<StaffAction, Record<StaffRole, Scope>> = {
  'complaint:list': { agent: 'own-departments', supervisor: 'all-departments', admin: 'all-departments' },
  'complaint:read': { agent: 'own-departments', supervisor: 'all-departments', admin: 'all-departments' },
  // A letter or a call can reach anyone; it belongs to no department until it is routed.
  'complaint:register': { agent: 'all-departments', supervisor: 'all-departments', admin: 'all-departments' },
  'complaint:assign': { agent: 'never', supervisor: 'all-departments', admin: 'all-departments' },
  'complaint:note': { agent: 'own-departments', supervisor: 'all-departments', admin: 'all-departments' },
  'complaint:decide': { agent: 'own-departments', supervisor: 'all-departments', admin: 'all-departments' },
  'complaint:request-information': { agent: 'own-departments', supervisor: 'all-departments', admin: 'all-departments' },
  'complaint:extend': { agent: 'never', supervisor: 'all-departments', admin: 'all-departments' },
  'config:manage': { agent: 'never', supervisor: 'never', admin: 'all-departments' },
  'personal-data:manage': { agent: 'never', supervisor: 'never', admin: 'all-departments' },
};

/**
 * Whether a staff member may take an action.
 *
 * A complaint not yet routed to a department sits with the complaints desk, so for agents it counts as a
 * `triage` complaint: agents of triage see and work on it, other agents do not.
 *
 * Without a department in the context, an agent may only list: the listing itself is then narrowed to
 * their departments. Any other department-bound action without a department is refused, so a caller
 * that forgets to say which complaint it acts on fails closed.
 */
export function can(staff: StaffMember, action: StaffAction, context: PermissionContext = {}): boolean {
  if (!Object.hasOwn(permissions, action)) return false;
  const scope = permissions[action][staff.role];
  if (scope === 'all-departments') return true;
  if (scope === 'never') return false;
  if (context.department === undefined) return action === 'complaint:list';
  const department = context.department === UNASSIGNED ? TRIAGE_DEPARTMENT : context.department;
  return staff.departments.includes(department);
}

/** Throws `Forbidden` unless `can` allows it; the message names the action, never the complaint's department. */
export function authorize(staff: StaffMember, action: StaffAction, context?: PermissionContext): void {
  if (!can(staff, action, context)) throw new Forbidden(`Your staff role does not allow ${action} here.`);
}
