/** Unit tests sit next to their code; test/ holds the contract, e2e and process-level tests. */
const { readFileSync } = require('node:fs');
const readJson = (file) => JSON.parse(readFileSync(`${__dirname}/${file}`, 'utf8'));
const { compilerOptions } = readJson('tsconfig.json');
// The build's swc settings; jest resolves the aliases itself, below.
const { paths: _paths, baseUrl: _baseUrl, ...jsc } = readJson('.swcrc').jsc;
const swc = ['@swc/jest', { swcrc: false, jsc, module: { type: 'commonjs' }, sourceMaps: 'inline' }];

/** The path aliases, read from tsconfig.json (the one place they are written; .swcrc repeats them for the build). */
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.endsWith('/*') ? alias.replace('*', '(.*)') : alias.replace('*', '([^/]+)')}$`,
    `<rootDir>/${target.replace('*', '$1')}`,
  ]),
);
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
