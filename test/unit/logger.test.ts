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

describe("Lambda's application log level (AWS_LAMBDA_LOG_LEVEL)", () => {
  const written = (level: string) => {
    const lines: string[] = [];
    const saved = process.env.AWS_LAMBDA_LOG_LEVEL;
    if (level === '(unset)') delete process.env.AWS_LAMBDA_LOG_LEVEL;
    else process.env.AWS_LAMBDA_LOG_LEVEL = level;
    const capture = (line: unknown) => {
      lines.push(JSON.parse(String(line)).level as string);
      return true;
    };
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      log.info('i');
      log.warn('w');
      log.error('e');
    } finally {
      out.mockRestore();
      err.mockRestore();
      if (saved === undefined) delete process.env.AWS_LAMBDA_LOG_LEVEL;
      else process.env.AWS_LAMBDA_LOG_LEVEL = saved;
    }
    return lines;
  };

  it.each([
    ['(unset)', ['info', 'warn', 'error']],
    ['DEBUG', ['info', 'warn', 'error']],
    ['INFO', ['info', 'warn', 'error']],
    ['WARN', ['warn', 'error']],
    ['ERROR', ['error']],
    ['FATAL', []],
    ['warn', ['warn', 'error']],
    ['LOUD', ['info', 'warn', 'error']],
  ])('at %s writes %j', (level, expected) => {
    expect(written(level)).toEqual(expected);
  });
});
