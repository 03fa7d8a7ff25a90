import { log } from '../../lambdas/adapters/logger';

it('never writes a customer e-mail, phone, name or description, even when handed a whole complaint', () => {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((line) => {
    lines.push(String(line));
    return true;
  });
  log.info('complaint received', {
    complaintId: 'c-1',
    complaint: { customer: { name: 'Anna Kowalska', email: 'anna@example.com', phone: '+48600700800' }, description: 'Czajnik przestał grzać' },
  });
  spy.mockRestore();
  const entry = JSON.parse(lines[0]!);
  expect(entry).toMatchObject({ level: 'info', message: 'complaint received', complaintId: 'c-1' });
  expect(lines[0]).not.toMatch(/anna@example\.com|600700800|Kowalska|grzać/);
});
