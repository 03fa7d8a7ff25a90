import * as z from './zod';
import { businessDaysSchema, deadlinePolicySchema, InvalidPolicyConfig, PolicyRegistry } from './deadline-policy';
import builtInPolicies from '../../config/policies.json';
import { parsedConfiguration } from './validation';

// Policies are configuration (domain.md): read once at cold start, and a file that does not parse stops the
// function there with every offending field named, never later on a complaint.

/**
 * What a deployment may change in a built-in policy: the settings the law leaves to the business or that
 * domain.md marks (verify), e.g. the effect of silence for energy complaints from household customers, the
 * provider's business days, whether sending or receipt meets a payment-services deadline. The term itself
 * (length, unit, trigger) is the statute's and cannot be overridden: a different term is a custom policy.
 */
export const policyOverrideSchema = z.partial(
  z.strictObject({
    silence: deadlinePolicySchema.shape.silence,
    notifyCustomerOnSilence: z.boolean(),
    metBy: deadlinePolicySchema.shape.metBy,
    businessDays: businessDaysSchema,
    internalTargetDaysBefore: z.number().check(z.int(), z.nonnegative()),
    reminderOffsets: z.array(z.number().check(z.int(), z.positive())),
    /** Why the deployment chose this; shown in the policy's notes. */
    reason: z.string().check(z.minLength(1)),
  }),
);

export const policyFileSchema = z.object({
  defaultPolicy: z.optional(z.string().check(z.minLength(1))),
  policies: z._default(z.array(deadlinePolicySchema), []),
  /** Changes to built-in policies, by policy id (custom policy file only). */
  overrides: z.optional(z.record(z.string(), policyOverrideSchema)),
});

export type PolicyFile = z.infer<typeof policyFileSchema>;

/** Parses a policy file or throws InvalidPolicyConfig naming `source` and each invalid field. */
export function parsePolicyFile(data: unknown, source: string): PolicyFile {
  return parsedConfiguration(policyFileSchema, data, (problems) => new InvalidPolicyConfig(`${source} is not a valid policy file: ${problems}`));
}

/**
 * The built-in policies (config/policies.json) plus `custom`, an object of the same shape. The default is
 * `defaultPolicy` (the DEFAULT_POLICY variable) if given, else the custom file's, else the built-in one.
 */
export function loadPolicyRegistry(defaultPolicy?: string, custom?: unknown): PolicyRegistry {
  const extra = custom === undefined ? undefined : parsePolicyFile(custom, 'the custom policy file');
  const builtIn = parsePolicyFile(withOverrides(builtInPolicies, extra?.overrides ?? {}), 'config/policies.json with the custom overrides');
  const chosen = defaultPolicy ?? extra?.defaultPolicy ?? builtIn.defaultPolicy;
  if (!chosen) throw new InvalidPolicyConfig('No default policy: set defaultPolicy in config/policies.json.');
  return new PolicyRegistry(builtIn.policies, { custom: extra?.policies, defaultPolicy: chosen });
}

/** The built-in file with the deployment's overrides applied, re-validated as a whole (refinements included). */
function withOverrides(file: { policies: readonly { id: string; notes?: string }[] }, overrides: NonNullable<PolicyFile['overrides']>): unknown {
  const ids = file.policies.map((policy) => policy.id);
  const unknown = Object.keys(overrides).filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    throw new InvalidPolicyConfig(`the custom policy file overrides ${unknown.join(', ')}, which is not a built-in policy (${ids.join(', ')})`);
  }
  return {
    ...file,
    policies: file.policies.map((policy) => {
      const override = overrides[policy.id];
      if (!override) return policy;
      const { reason, ...settings } = override;
      const changed = Object.keys(settings).join(', ');
      const note = `Overridden by this deployment (${changed})${reason ? `: ${reason}` : ''}.`;
      return { ...policy, ...settings, notes: policy.notes ? `${policy.notes} ${note}` : note };
    }),
  };
}
