import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Forbidden, Unauthenticated } from '../../lambdas/core/errors';
import {
  authorize,
  can,
  staffActions,
  staffDirectorySchema,
  staffForAccessKey,
  staffForPrincipal,
  type StaffAction,
  type StaffMember,
  type StaffRole,
} from '../../lambdas/core/staff';
import { loadStaffDirectory, staffFromEvent } from '../../lambdas/http/staff-identity';

const readJson = (file: string): unknown => JSON.parse(readFileSync(path.resolve(__dirname, '../../config', file), 'utf8'));

function member(overrides: Partial<StaffMember> & Pick<StaffMember, 'id' | 'principalArn'>): Record<string, unknown> {
  return { name: 'Test Person', email: `${overrides.id}@sklep.example`, role: 'agent', departments: ['returns'], ...overrides };
}

const directory = staffDirectorySchema.parse({
  staff: [
    member({ id: 'user.plain', principalArn: 'arn:aws:iam::111122223333:user/ula' }),
    member({ id: 'user.with-path', principalArn: 'arn:aws:iam::111122223333:user/staff/warsaw/wiktor' }),
    member({ id: 'role.plain', principalArn: 'arn:aws:iam::111122223333:role/ComplaintsAgent' }),
    member({
      id: 'role.sso',
      principalArn: 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_Supervisor_0a1b2c3d',
    }),
    member({ id: 'session.kasia', principalArn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Supervisor_0a1b2c3d/kasia@sklep.example' }),
    member({ id: 'china', principalArn: 'arn:aws-cn:iam::111122223333:user/ula' }),
    member({
      id: 'with.key',
      principalArn: 'arn:aws:iam::000000000000:user/with.key',
      localAccessKeyId: 'AKIALOCALTESTEXAMPLE',
      localSecretAccessKey: 'x'.repeat(40),
    }),
  ],
});

const idFor = (arn: string) => staffForPrincipal(directory, arn)?.id;

describe('mapping an IAM principal to a staff member', () => {
  it('finds an IAM user by its ARN', () => {
    expect(idFor('arn:aws:iam::111122223333:user/ula')).toBe('user.plain');
    expect(idFor('arn:aws:iam::111122223333:user/staff/warsaw/wiktor')).toBe('user.with-path');
  });

  it('maps an assumed-role session to the role it assumed', () => {
    expect(idFor('arn:aws:sts::111122223333:assumed-role/ComplaintsAgent/cli-session-1')).toBe('role.plain');
  });

  it('maps an assumed-role session to a role listed with its path, which the session ARN does not carry', () => {
    expect(idFor('arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Supervisor_0a1b2c3d/tomek@sklep.example')).toBe('role.sso');
  });

  it('prefers a member listed with the exact session over the member listed with the whole role', () => {
    expect(idFor('arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Supervisor_0a1b2c3d/kasia@sklep.example')).toBe('session.kasia');
  });

  it('tells accounts and partitions apart', () => {
    expect(idFor('arn:aws:iam::999999999999:user/ula')).toBeUndefined();
    expect(idFor('arn:aws:sts::999999999999:assumed-role/ComplaintsAgent/s')).toBeUndefined();
    expect(idFor('arn:aws-cn:iam::111122223333:user/ula')).toBe('china');
  });

  it('does not confuse a user with a role of the same name', () => {
    expect(idFor('arn:aws:iam::111122223333:role/ula')).toBeUndefined();
    expect(idFor('arn:aws:sts::111122223333:assumed-role/ula/session')).toBeUndefined();
  });

  it('finds no one for an unknown principal or something that is not an ARN', () => {
    expect(idFor('arn:aws:iam::111122223333:user/nobody')).toBeUndefined();
    expect(idFor('arn:aws:iam::111122223333:root')).toBeUndefined();
    expect(idFor('ula')).toBeUndefined();
    expect(idFor('')).toBeUndefined();
  });

  it('finds a member by local demo access key, and no one by an unknown key', () => {
    expect(staffForAccessKey(directory, 'AKIALOCALTESTEXAMPLE')?.id).toBe('with.key');
    expect(staffForAccessKey(directory, 'AKIALOCALNONEEXAMPLE')).toBeUndefined();
  });
});

describe('the staff directory schema', () => {
  const issuesOf = (staff: unknown[]) => {
    const result = staffDirectorySchema.safeParse({ staff });
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('refuses an agent without a department', () => {
    expect(issuesOf([member({ id: 'a', principalArn: 'arn:aws:iam::111122223333:user/a', departments: [] })])).toEqual([
      'staff.0.departments: an agent needs at least one department',
    ]);
  });

  it('refuses two members with the same role, even written with and without its path', () => {
    const issues = issuesOf([
      member({ id: 'a', principalArn: 'arn:aws:iam::111122223333:role/Staff' }),
      member({ id: 'b', principalArn: 'arn:aws:iam::111122223333:role/team/Staff' }),
    ]);
    expect(issues).toEqual(['staff.1.principalArn: this IAM principal belongs to another member too']);
  });

  it('refuses duplicate ids and access keys, and a key without its secret', () => {
    const key = { localAccessKeyId: 'AKIALOCALTESTEXAMPLE', localSecretAccessKey: 'y'.repeat(40) };
    const issues = issuesOf([
      member({ id: 'a', principalArn: 'arn:aws:iam::111122223333:user/a', ...key }),
      member({ id: 'a', principalArn: 'arn:aws:iam::111122223333:user/b', ...key }),
      member({ id: 'c', principalArn: 'arn:aws:iam::111122223333:user/c', localAccessKeyId: 'AKIALOCALOTHREXAMPLE' }),
    ]);
    expect(issues).toEqual([
      'staff.2.localSecretAccessKey: give both localAccessKeyId and localSecretAccessKey, or neither',
      'staff.1.id: a appears twice',
      'staff.1.localAccessKeyId: this access key belongs to another member too',
    ]);
  });

  it('fails fast on a broken directory, naming fields but never their values', () => {
    const secret = 'not-a-valid-secret';
    expect(() =>
      loadStaffDirectory({ staff: [member({ id: 'a', principalArn: 'nope', localAccessKeyId: 'lower', localSecretAccessKey: secret })] }),
    ).toThrow(/^The staff directory is not valid: staff\.0\.principalArn: .*; staff\.0\.localAccessKeyId: .*; staff\.0\.localSecretAccessKey: /);
    expect(() => loadStaffDirectory({ staff: [member({ id: 'a', principalArn: 'nope', localSecretAccessKey: secret })] })).not.toThrow(secret);
  });
});

describe('the local demo directory (config/staff.local.json)', () => {
  const local = loadStaffDirectory(readJson('staff.local.json'));
  const departments = (readJson('departments.json') as { departments: { id: string }[] }).departments.map(({ id }) => id);

  it('has one admin, one supervisor and one agent for each department', () => {
    expect(local.staff.filter((staff) => staff.role === 'admin')).toHaveLength(1);
    expect(local.staff.filter((staff) => staff.role === 'supervisor')).toHaveLength(1);
    const agents = local.staff.filter((staff) => staff.role === 'agent');
    expect(agents.map((agent) => agent.departments).sort()).toEqual(departments.map((id) => [id]).sort());
  });

  it('gives everyone a demo key shaped like an AWS key and marked as an example', () => {
    for (const staff of local.staff) {
      expect(staff.localAccessKeyId).toMatch(/^AKIALOCAL[A-Z0-9]{4}EXAMPLE$/);
      expect(staff.localSecretAccessKey).toMatch(/^[A-Za-z0-9/+]{30}EXAMPLEKEY$/);
      expect(staff.principalArn).toBe(`arn:aws:iam::000000000000:user/${staff.id}`);
    }
  });
});

describe('permissions', () => {
  const person = (role: StaffRole, departments: string[] = []) =>
    ({ id: `${role}.x`, name: 'X', email: 'x@sklep.example', role, departments, principalArn: 'arn:aws:iam::111122223333:user/x' }) as StaffMember;
  const agent = person('agent', ['returns']);
  const supervisor = person('supervisor');
  const admin = person('admin');

  // What each role may do with a complaint of the agent's own department ("returns") and of another one.
  //                                   agent own  agent other  supervisor  admin
  const table: [StaffAction, boolean, boolean, boolean, boolean][] = [
    ['complaint:list', true, false, true, true],
    ['complaint:read', true, false, true, true],
    ['complaint:register', true, true, true, true],
    ['complaint:assign', false, false, true, true],
    ['complaint:note', true, false, true, true],
    ['complaint:decide', true, false, true, true],
    ['complaint:request-information', true, false, true, true],
    ['complaint:extend', false, false, true, true],
    ['config:manage', false, false, false, true],
    ['personal-data:manage', false, false, false, true],
  ];

  it('covers every action', () => {
    expect(table.map(([action]) => action).sort()).toEqual([...staffActions].sort());
  });

  it.each(table)('%s: agent in own department %p, in another %p; supervisor %p; admin %p', (action, own, other, bySupervisor, byAdmin) => {
    expect(can(agent, action, { department: 'returns' })).toBe(own);
    expect(can(agent, action, { department: 'service' })).toBe(other);
    expect(can(supervisor, action, { department: 'service' })).toBe(bySupervisor);
    expect(can(admin, action, { department: 'service' })).toBe(byAdmin);
  });

  it('lets an agent with several departments work in each of them', () => {
    const both = person('agent', ['returns', 'payments']);
    expect(can(both, 'complaint:decide', { department: 'payments' })).toBe(true);
    expect(can(both, 'complaint:decide', { department: 'returns' })).toBe(true);
    expect(can(both, 'complaint:decide', { department: 'logistics' })).toBe(false);
  });

  it('treats a complaint not yet routed as a triage complaint: triage agents work on it, others do not', () => {
    const triage = person('agent', ['triage']);
    expect(can(triage, 'complaint:read', { department: 'unassigned' })).toBe(true);
    expect(can(triage, 'complaint:decide', { department: 'triage' })).toBe(true);
    expect(can(agent, 'complaint:read', { department: 'unassigned' })).toBe(false);
    expect(can(agent, 'complaint:read', { department: 'triage' })).toBe(false);
    expect(can(supervisor, 'complaint:read', { department: 'unassigned' })).toBe(true);
  });

  it('lets an agent list without naming a department (the listing is narrowed to theirs) but nothing else', () => {
    expect(can(agent, 'complaint:list')).toBe(true);
    expect(can(agent, 'complaint:read')).toBe(false);
    expect(can(agent, 'complaint:decide', {})).toBe(false);
    expect(can(agent, 'complaint:register')).toBe(true);
  });

  it('refuses an action it does not know', () => {
    expect(can(admin, 'complaint:delete' as StaffAction)).toBe(false);
    expect(can(admin, 'constructor' as StaffAction)).toBe(false);
  });

  it('refuses with Forbidden (403), naming the action but not the department', () => {
    expect(() => authorize(agent, 'complaint:read', { department: 'returns' })).not.toThrow();
    let error: unknown;
    try {
      authorize(agent, 'complaint:read', { department: 'payments' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(Forbidden);
    expect((error as Forbidden).status).toBe(403);
    expect((error as Forbidden).message).toContain('complaint:read');
    expect((error as Forbidden).message).not.toContain('payments');
  });
});

describe('the staff member behind an API Gateway event', () => {
  const event = (authorizer?: unknown) => ({ requestContext: { http: { method: 'GET' }, ...(authorizer === undefined ? {} : { authorizer }) } });

  it('is found by the IAM authorizer user ARN', () => {
    const iam = {
      userArn: 'arn:aws:sts::111122223333:assumed-role/ComplaintsAgent/s',
      accountId: '111122223333',
      accessKey: 'ASIA',
      callerId: 'AROA:s',
    };
    expect(staffFromEvent(event({ iam }), directory).id).toBe('role.plain');
  });

  it('is Unauthenticated (401) when the event carries no IAM identity', () => {
    expect(() => staffFromEvent(event(), directory)).toThrow(Unauthenticated);
    expect(() => staffFromEvent(event({ jwt: { claims: {} } }), directory)).toThrow(Unauthenticated);
    expect(() => staffFromEvent(event({ iam: { userArn: '' } }), directory)).toThrow(Unauthenticated);
  });

  it('is Forbidden (403) when the IAM principal is not registered as staff', () => {
    expect(() => staffFromEvent(event({ iam: { userArn: 'arn:aws:iam::111122223333:user/intruder' } }), directory)).toThrow(
      new Forbidden('Your IAM identity is not registered as staff.'),
    );
  });
});
