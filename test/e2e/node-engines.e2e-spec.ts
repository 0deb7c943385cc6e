import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minVersion, satisfies } from 'semver';

const ROOT = join(__dirname, '..', '..');

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

/** `npm ci` warns (EBADENGINE) for every locked package whose `engines.node` excludes the running Node. */
describe('Locked dependencies on the promised Node versions', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
  const oldestPromised = minVersion(manifest.engines.node)!.version;

  it.each([
    ['the oldest promised', oldestPromised],
    ['the running', process.versions.node],
  ])('should all support %s Node version (%s)', (_label, nodeVersion) => {
    expect(satisfies(process.versions.node, manifest.engines.node)).toBe(true);
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .map(([path, locked]) => ({ path, range: Array.isArray(locked.engines) ? undefined : locked.engines?.node, version: locked.version }))
      .filter(({ range }) => range !== undefined && !satisfies(nodeVersion, range))
      .map(({ path, version, range }) => `${path.replace(/^.*node_modules\//, '')}@${version} wants node ${range}`);
    expect(refusing).toEqual([]);
  });
});
