import type { StaffMember } from '../../lambdas/core/staff';

/** A supervisor with every department, as the use-case tests act. */
export const supervisor: StaffMember = {
  id: 'marek.supervisor',
  name: 'Marek',
  email: 'marek@example.com',
  role: 'supervisor',
  departments: [],
  principalArn: 'arn:aws:iam::123456789012:role/Supervisor',
};
