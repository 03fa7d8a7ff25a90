import { fromEnv } from '@aws-sdk/credential-provider-env';

// Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles only: lib/bundling.ts aliases that
// package to this file. Lambda puts the function role's credentials in AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, and the default chain's first link is exactly `fromEnv`; its
// other links (SSO, ini files, process, web identity, ECS and EC2 metadata, with the STS, SSO and sign-in
// clients they carry) are ~140 KB of every bundle that a Lambda never reaches. The local runtime, the tests
// and the CLI do not go through esbuild and keep the whole chain.

/** The SDK clients call this as their `credentialDefaultProvider` when no `credentials` are given. */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
