/** Three projects: unit specs next to the code, contract suites per port, e2e over HTTP. */
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
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/apps', '<rootDir>/libs'], testRegex: '\\.spec\\.ts$' },
    { ...shared, displayName: 'contract', roots: ['<rootDir>/test/contract'], testRegex: '\\.contract-spec\\.ts$', testTimeout: 60_000 },
    { ...shared, displayName: 'e2e', roots: ['<rootDir>/test/e2e'], testRegex: '\\.e2e-spec\\.ts$', testTimeout: 60_000 },
  ],
};
