import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'apps/api/src/main.ts');

export interface ApiProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  waitForExit(timeoutMs?: number): Promise<number | null>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs apps/api/src/main.ts in a child process, exactly as `npm start` would run the built code. */
export async function spawnApi(env: Record<string, string>): Promise<ApiProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  let output = '';
  const child = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TS_NODE_TRANSPILE_ONLY: '1',
      HOST: '127.0.0.1',
      PORT: String(port),
      // Several instances run at once: each metrics listener on a port of its own.
      METRICS_PORT: '0',
      LOG_LEVEL: 'log',
      // Load tests send hundreds of reserves from one address; the rate-limit suite turns limits on itself.
      RATE_LIMIT_ENABLED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const within = <T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; output:\n${output}`)), timeoutMs).unref(),
      ),
    ]);

  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    waitForOutput: (pattern, timeoutMs = 45_000) =>
      within(
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (pattern.test(output)) return resolve();
            if (child.exitCode !== null)
              return reject(new Error(`process exited (${child.exitCode}) before ${pattern}; output:\n${output}`));
            setTimeout(check, 50);
          };
          check();
        }),
        timeoutMs,
        String(pattern),
      ),
    waitForExit: (timeoutMs = 30_000) => within(exited, timeoutMs, 'exit'),
  };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run api-key -- <args>` (scripts/api-key.ts) the way npm does, with only `env` and a minimal PATH. */
export function runApiKeyCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const script = join(ROOT, 'scripts/api-key.ts');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', script, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
