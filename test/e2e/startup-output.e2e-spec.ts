import { mkdtempSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiProcess, spawnApi } from '../support/api-process';

const LISTENING = /Listening on/;
// eslint-disable-next-line no-control-regex -- ESC is exactly what the test looks for
const ANSI = /\u001b\[/;
const STACK_FRAME = /^\s+at /m;

/** What the real process prints when it starts or cannot start; its stdout is a pipe here, not a terminal. */
describe('API process output', () => {
  const running: ApiProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const api = await spawnApi(env);
    running.push(api);
    return api;
  };
  let blocker: Server | undefined;

  afterEach(async () => {
    for (const api of running.splice(0)) {
      if (api.child.exitCode === null) {
        api.child.kill('SIGKILL');
        await api.waitForExit();
      }
    }
    await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
    blocker = undefined;
  });

  it('should name the address actually bound, without ANSI colours, and not claim success before binding', async () => {
    const api = await start({ HOST: '0.0.0.0', PGLITE_DATA_DIR: 'memory://' });
    await api.waitForOutput(LISTENING);
    expect(api.output()).toMatch(
      new RegExp(`Listening on 0\\.0\\.0\\.0:${api.port} \\(database: PGlite \\(in memory\\); docs at /docs\\)`),
    );
    expect(api.output()).not.toMatch(ANSI);
    expect(api.output()).not.toContain('successfully started');
  });

  it('should exit 1 with one clear line when the port is in use', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;

    const api = await start({ PORT: String(port), PGLITE_DATA_DIR: 'memory://' });
    expect(await api.waitForExit(60_000)).toBe(1);
    const output = api.output();
    expect(output.trim().split('\n').pop()).toBe(
      `Startup failed: 127.0.0.1:${port} is already in use by another process: stop it, or set PORT to a free port`,
    );
    expect(output.match(/already in use/g)).toHaveLength(1);
    expect(output).not.toMatch(STACK_FRAME);
    expect(output).not.toContain('successfully started');
    expect(output).not.toMatch(ANSI);
  });

  it('should refuse a PGlite folder in use with one line and no stack trace', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'inventory-e2e-')), 'data');
    const owner = await start({ PGLITE_DATA_DIR: dataDir });
    await owner.waitForOutput(LISTENING);

    const intruder = await start({ PGLITE_DATA_DIR: dataDir });
    expect(await intruder.waitForExit()).toBe(1);
    const output = intruder.output();
    expect(output.trim().split('\n').pop()).toMatch(/^Startup failed: PGlite data folder '.*' is in use by another process \(pid \d+\)/);
    expect(output.match(/is in use by another process/g)).toHaveLength(1);
    expect(output).not.toMatch(STACK_FRAME);
    expect(output).not.toMatch(ANSI);
  });
});
