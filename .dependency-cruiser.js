/**
 * Layer rules from the README, checked by `npm run lint:layers` (part of `npm test`).
 * libs/core is the domain: no ORM, driver, HTTP, Swagger, validation or configuration library.
 * libs/persistence implements core's ports and knows nothing of the app. Code outside a library
 * reaches it only through its barrel (@app/core, @app/persistence); tests may reach further.
 */

const TEST_CODE = '(^test/|\\.spec\\.ts$|^libs/core/src/testing/)';
const PRODUCTION_CODE = '^(apps|libs)/';

const CORE_FORBIDDEN_PACKAGES = [
  'drizzle-orm',
  'drizzle-kit',
  'pg',
  '@electric-sql/pglite',
  'mongoose',
  'mongodb',
  '@nestjs/mongoose',
  '@nestjs/swagger',
  '@nestjs/platform-fastify',
  '@nestjs/config',
  '@nestjs/core',
  '@nestjs/terminus',
  '@nestjs/schedule',
  'fastify',
  '@fastify/[^/]+',
  'class-validator',
  'class-transformer',
];

module.exports = {
  forbidden: [
    {
      name: 'core-no-infrastructure',
      comment: 'libs/core holds domain types, ports and services: no ORM, driver, HTTP, Swagger, validation or config library.',
      severity: 'error',
      from: { path: '^libs/core/' },
      to: { path: `(^|/)node_modules/(${CORE_FORBIDDEN_PACKAGES.join('|')})/` },
    },
    {
      name: 'core-only-nest-common',
      comment: 'Production code in libs/core may use Node built-ins and @nestjs/common (for @Injectable) only.',
      severity: 'error',
      from: { path: '^libs/core/', pathNot: TEST_CODE },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: '(^|/)node_modules/@nestjs/common/',
      },
    },
    {
      name: 'core-is-the-bottom-layer',
      comment: 'libs/core depends on no other part of the repository.',
      severity: 'error',
      from: { path: '^libs/core/' },
      to: { path: '^(apps|libs/(?!core/)|test/)' },
    },
    {
      name: 'persistence-not-to-apps',
      comment: 'libs/persistence implements the ports of libs/core; it knows nothing of the applications.',
      severity: 'error',
      from: { path: '^libs/persistence/' },
      to: { path: '^(apps|test)/' },
    },
    {
      name: 'libraries-through-their-barrel',
      comment: 'Outside a library, production code imports it only as @app/core or @app/persistence (its src/index.ts).',
      severity: 'error',
      from: { path: '^((apps|libs)/[^/]+)/', pathNot: TEST_CODE },
      to: { path: '^libs/[^/]+/', pathNot: ['^$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'no-relative-imports-across-projects',
      comment: 'Relative paths (../../..) must not leave an app or library; use @app/core or @app/persistence.',
      severity: 'error',
      from: { path: '^((apps|libs)/[^/]+)/' },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased'], path: '^(apps|libs)/', pathNot: '^$1/' },
    },
    {
      name: 'production-not-to-test-code',
      comment: 'Specs, test support and the in-memory fakes of libs/core/src/testing are for tests only.',
      severity: 'error',
      from: { path: PRODUCTION_CODE, pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'production-not-to-dev-dependencies',
      comment: 'Production code must not need a devDependency: it is not installed in the image.',
      severity: 'error',
      from: { path: PRODUCTION_CODE, pathNot: TEST_CODE },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      comment: 'Circular imports make load order matter and blur which module depends on which.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (this also proves the @app/* tsconfig paths are understood).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      comment: 'Every package used is declared in package.json, not just present as a transitive dependency.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-orphans',
      comment: 'A source file nothing imports is dead code (entry points, specs and tooling excepted).',
      severity: 'error',
      from: {
        orphan: true,
        pathNot: [
          '\\.(spec|contract-spec|e2e-spec|browser-spec)\\.ts$',
          '^apps/[^/]+/src/main\\.ts$',
          '^apps/[^/]+/src/import-original\\.ts$',
          '^apps/[^/]+/public/',
          '^test/support/jest/',
          '^test/support/mongo-global-',
        ],
      },
      to: {},
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count too: a port typed with a Drizzle type is still a layer violation.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage|data|artifacts)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
