import { AppConfig } from '../../apps/api/src/config/app-config';
import { BackendName, createTestDatabase, TestDatabase } from './backends';
import { createTestApp, TestApp } from './create-test-app';

/**
 * Call inside a describeEachBackend body: starts the app on a fresh database of `backend` before the suite
 * and closes both after it. Read `testApp` from the returned object in tests or later hooks.
 */
export function appOnFreshDatabase(backend: BackendName, overrides: Partial<AppConfig> = {}): { readonly testApp: TestApp } {
  let database: TestDatabase | undefined;
  let testApp: TestApp | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    testApp = await createTestApp(database.config, overrides);
  });
  afterAll(async () => {
    await testApp?.app.close();
    await database?.dispose();
  });
  return {
    get testApp() {
      if (!testApp) throw new Error('the test app starts in beforeAll; read it inside a test or hook');
      return testApp;
    },
  };
}
