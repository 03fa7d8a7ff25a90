import * as z from 'zod';
import { deadlinePolicySchema, InvalidPolicyConfig, PolicyRegistry } from './deadline-policy';
import builtInPolicies from '../../config/policies.json';

// Policies are configuration (domain.md): read once at cold start, and a file that does not parse stops the
// function there with every offending field named, never later on a complaint.

export const policyFileSchema = z.object({
  defaultPolicy: z.string().min(1).optional(),
  policies: z.array(deadlinePolicySchema),
});

export type PolicyFile = z.infer<typeof policyFileSchema>;

/** Parses a policy file or throws InvalidPolicyConfig naming `source` and each invalid field. */
export function parsePolicyFile(data: unknown, source: string): PolicyFile {
  const result = policyFileSchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new InvalidPolicyConfig(`${source} is not a valid policy file: ${issues.join('; ')}`);
  }
  return result.data;
}

/**
 * The built-in policies (config/policies.json) plus `custom`, an object of the same shape. The default is
 * `defaultPolicy` (the DEFAULT_POLICY variable) if given, else the custom file's, else the built-in one.
 */
export function loadPolicyRegistry(defaultPolicy?: string, custom?: unknown): PolicyRegistry {
  const builtIn = parsePolicyFile(builtInPolicies, 'config/policies.json');
  const extra = custom === undefined ? undefined : parsePolicyFile(custom, 'the custom policy file');
  const chosen = defaultPolicy ?? extra?.defaultPolicy ?? builtIn.defaultPolicy;
  if (!chosen) throw new InvalidPolicyConfig('No default policy: set defaultPolicy in config/policies.json.');
  return new PolicyRegistry(builtIn.policies, { custom: extra?.policies, defaultPolicy: chosen });
}
