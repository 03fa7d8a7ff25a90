// Four projects, each with its own job (STYLE.md §10): the domain without AWS, intent on the synthesized
// template, handlers and the real ASL against the local stand-ins, and the whole local product over HTTP.
const transform = { '^.+\\.ts$': '<rootDir>/test/esbuild-transform.js' };
const base = { transform, testEnvironment: 'node' };
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.infra.test.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};
