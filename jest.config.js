/** Unit tests sit next to their code; test/ holds the contract, e2e and process-level tests. */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022', keepClassNames: true } }];
const moduleNameMapper = {
  '^@app/eventstore(.*)$': '<rootDir>/libs/eventstore/src$1',
  '^@app/core(.*)$': '<rootDir>/libs/core/src$1',
  '^@app/projections(.*)$': '<rootDir>/projections$1',
  '^@app/migrations$': '<rootDir>/migrations',
  '^@app/identity(.*)$': '<rootDir>/libs/identity/src$1',
  '^@app/tasks(.*)$': '<rootDir>/libs/tasks/src$1',
  '^@app/accounting(.*)$': '<rootDir>/libs/accounting/src$1',
  '^@app/analytics(.*)$': '<rootDir>/libs/analytics/src$1',
};
const common = { transform: { '^.+\\.ts$': swc }, moduleNameMapper, testEnvironment: 'node', rootDir: __dirname };

module.exports = {
  maxWorkers: 2,
  // e2e tests start whole platforms (api, worker, projections, process managers); on a busy two-core
  // machine one step can take longer than jest's default 5 s.
  testTimeout: 30_000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,projections}/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/**/*.spec.ts'], testPathIgnorePatterns: ['eventstoredb'] },
    { ...common, displayName: 'eventstoredb', testMatch: ['<rootDir>/test/**/*eventstoredb*.spec.ts'] },
  ],
};
