import 'reflect-metadata';
import { describeDatabase, importOriginalData } from '@app/persistence';
import { existsSync } from 'node:fs';
import { loadAppConfig } from './config/app-config';

/** `npm run import:original`: the original service's items and active holds into this service's collections, once. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { database } = loadAppConfig(process.env);
  console.log(`Importing the original service's data in ${describeDatabase(database)}`);
  const report = await importOriginalData(database, new Date());
  console.log(`Imported ${report.imported.skus} SKUs and ${report.imported.holds} active holds`);
  if (report.alreadyPresent.length > 0) console.log(`Already present, left as they are: ${report.alreadyPresent.join(', ')}`);
  for (const { what, reason } of report.skipped) console.log(`Skipped ${what}: ${reason}`);
}

main().catch((error: unknown) => {
  console.error(`Import failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
