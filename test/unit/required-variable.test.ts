import { requiredVariable } from '../../lambdas/adapters/required-variable';

describe('requiredVariable', () => {
  it('returns the variable as set', () => {
    expect(requiredVariable('STATE_MACHINE_ARN', { STATE_MACHINE_ARN: 'arn:aws:states:eu-central-1:1:stateMachine:x' })).toBe(
      'arn:aws:states:eu-central-1:1:stateMachine:x',
    );
  });

  it.each([
    ['missing', {}],
    ['empty', { STATE_MACHINE_ARN: '' }],
  ])('refuses a %s variable, naming it', (_, env) => {
    expect(() => requiredVariable('STATE_MACHINE_ARN', env)).toThrow('Missing environment variable STATE_MACHINE_ARN');
  });
});
