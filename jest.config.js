/** Three projects: unit specs next to the code, contract suites per port, e2e over HTTP. */

/**
 * ESM-only packages pulled in by CommonJS dependencies (content-disposition@3 via @fastify/static).
 * Node 20.19+ loads them with require(esm); Jest's module runtime does not before Node 24.9, so they are transpiled.
 */
const ESM_ONLY_PACKAGES = ['content-disposition'];

const shared = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
    [`/node_modules/(${ESM_ONLY_PACKAGES.join('|')})/.+\\.js$`]: [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0', types: [] }, diagnostics: false },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`],
  moduleNameMapper: {
    '^@app/core(|/.*)$': '<rootDir>/libs/core/src$1',
    '^@app/persistence(|/.*)$': '<rootDir>/libs/persistence/src$1',
  },
};

module.exports = {
  // Global only: Jest ignores testTimeout inside projects. Contract and e2e suites start databases and processes.
  testTimeout: 60_000,
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/apps', '<rootDir>/libs'], testRegex: '\\.spec\\.ts$' },
    { ...shared, displayName: 'contract', roots: ['<rootDir>/test/contract'], testRegex: '\\.contract-spec\\.ts$' },
    { ...shared, displayName: 'e2e', roots: ['<rootDir>/test/e2e'], testRegex: '\\.e2e-spec\\.ts$' },
  ],
};
