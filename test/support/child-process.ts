import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** Starts a compiled fixture (built into dist/ by the global setup) and waits for its "ready" line. */
export async function startFixture(fixture: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'test', 'fixtures', `${fixture}.js`), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${fixture} exited with ${code} before it was ready`)));
  });
  return child;
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** A JSON log line of the product, with what tests read of it. */
export interface LogLine {
  level: number;
  msg: string;
  pid: number;
}

/**
 * A compiled entry point of apps/ (`main.js`, `api/main.js`, `worker/main.js`, built into dist/ by
 * the global setup) as its own OS process with exactly `env`, its stdout and stderr collected:
 * `output()` as text, `lines()` its JSON log lines.
 */
export function spawnApp(entry: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; lines: () => LogLine[] } {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'apps', ...entry.split('/'))], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const lines = () =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  return { child, output: () => output, lines };
}

/** The first admin of `npm start` runs in tests (its registration is an event the worker's users projection applies). */
export const START_ADMIN = { email: 'admin@example.com', beak: { length: 4.2, depth: 1.5, width: 1.1, curvature: 0.3 } } as const;

/**
 * The environment of `npm start` (`main.js`) on an embedded PostgreSQL of its own, as a newcomer
 * runs it (no DATABASE_URL, the default HOST): its ports, its data directory, a first admin, a
 * cheap beak hash; `extra` on top.
 */
export function embeddedStartEnv(options: { port: number; databasePort: number; dataDir: string }, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.port),
    EMBEDDED_PG_PORT: String(options.databasePort),
    EMBEDDED_PG_DIR: options.dataDir,
    LOG_LEVEL: 'info',
    BOOTSTRAP_ADMIN_EMAIL: START_ADMIN.email,
    BOOTSTRAP_ADMIN_BEAK: JSON.stringify(START_ADMIN.beak),
    BEAK_HASH_COST: '1024',
    ...extra,
  };
  delete env.DATABASE_URL;
  if (!extra.HOST) delete env.HOST;
  return env;
}
