/** Four projects: unit specs next to the code, contract suites per port, e2e over HTTP, the web UI in Chromium. */

const shared = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  moduleNameMapper: {
    '^@app/core(|/.*)$': '<rootDir>/libs/core/src$1',
    '^@app/persistence(|/.*)$': '<rootDir>/libs/persistence/src$1',
  },
};

module.exports = {
  // Global only: Jest ignores testTimeout inside projects. Contract and e2e suites start databases and processes.
  testTimeout: 60_000,
  globalSetup: '<rootDir>/test/support/mongo-global-setup.js',
  globalTeardown: '<rootDir>/test/support/mongo-global-teardown.js',
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test/deploy'], testRegex: '\\.spec\\.ts$' },
    { ...shared, displayName: 'contract', roots: ['<rootDir>/test/contract'], testRegex: '\\.contract-spec\\.ts$' },
    { ...shared, displayName: 'e2e', roots: ['<rootDir>/test/e2e'], testRegex: '\\.e2e-spec\\.ts$' },
    { ...shared, displayName: 'browser', roots: ['<rootDir>/test/browser'], testRegex: '\\.browser-spec\\.ts$' },
  ],
};
