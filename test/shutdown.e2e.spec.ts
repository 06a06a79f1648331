import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { embeddedPasswordFile } from '../libs/core/src/database/embedded-postgres';
import { embeddedStartEnv, exited, spawnApp, START_ADMIN } from './support/child-process';
import { freePort, isListening } from './support/ports';


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
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(embeddedPasswordFile(dataDir), { force: true });
  });

  /** `npm start` on a port and embedded PostgreSQL of its own; its log lines, parsed, as they come. */
  async function start(extra: NodeJS.ProcessEnv = {}, { early = false } = {}) {
    const [port, databasePort] = [await freePort(), await freePort()];
    const env = embeddedStartEnv({ port, databasePort, dataDir }, { METRICS_TOKEN: 'npm-start-metrics', ...extra });
    const { child, output, lines } = spawnApp('main.js', env);
    started.push(child.pid!);
    const workers = () => lines().filter((line) => line.msg === 'worker running').map((line) => line.pid);
    await until(() => output().includes('listening on') || child.exitCode !== null, 'listening on');
    expect(output()).toContain('listening on');
    if (early) return { child, port, databasePort, lines, workers };
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
    expect(await isListening(databasePort)).toBe(false);
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

  it('stops cleanly on a SIGTERM that comes while the worker process is still starting: the worker logs its `stopped` too', async () => {
    // Right at `listening on`, the worker process (started before the api) is still loading or taking its leases.
    const { child, databasePort, lines } = await start({}, { early: true });
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    const stopped = lines().filter((line) => line.msg === 'stopped');
    expect(stopped.map((line) => line.pid)).toHaveLength(2);
    expect(stopped.some((line) => line.pid !== child.pid)).toBe(true);
    expect(lines().filter((line) => line.level >= 50)).toEqual([]);
    expect(lines().at(-1)).toMatchObject({ msg: 'stopped', pid: child.pid });
    expect(await isListening(databasePort)).toBe(false);
  }, 90_000);

  it('waits for a request in flight up to SHUTDOWN_TIMEOUT_MS, then closes its connection and stops all the same', async () => {
    const { child, port, lines } = await start({ SHUTDOWN_TIMEOUT_MS: '1500', CONSISTENCY_TIMEOUT_MS: '20000' });
    const login = (await (await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(START_ADMIN),
    })).json()) as { accessToken: string };
    // A query waiting for a position no read model reaches: in flight until CONSISTENCY_TIMEOUT_MS (20 s).
    const slow = fetch(`http://127.0.0.1:${port}/tasks?after=${'f'.repeat(16)}-${'0'.repeat(16)}`, { headers: { authorization: `Bearer ${login.accessToken}` } }).then(
      (response) => `answered ${response.status}`,
      () => 'connection closed',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const signalled = Date.now();
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(await slow).toBe('connection closed');
    // It waited for the request (1.5 s), not for its 20 s.
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(1400);
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(lines().some((line) => line.level === 40 && /requests still in flight at SHUTDOWN_TIMEOUT_MS/.test(line.msg))).toBe(true);
    expect(lines().at(-1)?.msg).toBe('stopped');
  }, 90_000);

  it('ends the live streams at once (their clients reconnect elsewhere) rather than wait SHUTDOWN_TIMEOUT_MS for them', async () => {
    const { child, port, lines } = await start({ SHUTDOWN_TIMEOUT_MS: '8000' });
    const login = (await (await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(START_ADMIN),
    })).json()) as { accessToken: string };
    const stream = await fetch(`http://127.0.0.1:${port}/ledger/stream`, { headers: { authorization: `Bearer ${login.accessToken}`, accept: 'text/event-stream' } });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const ended = stream.text().then(
      () => 'ended',
      () => 'connection closed',
    );
    const signalled = Date.now();
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(await ended).toBe('ended');
    expect(Date.now() - signalled).toBeLessThan(6000);
    expect(lines().some((line) => /requests still in flight/.test(line.msg))).toBe(false);
    expect(lines().at(-1)?.msg).toBe('stopped');
  }, 90_000);
});
