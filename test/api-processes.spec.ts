import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { bearer, IDENTITY_ENV, Staff, type TestUser } from './fixtures/identity.fixture';
import { exited, spawnApp } from './support/child-process';
import { freePort } from './support/ports';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventually } from './support/wait';
import { sampleSum } from './support/metrics-text';

const METRICS_TOKEN = 'api-processes-metrics';

/** What one request on a connection of its own got: its status and body, or the error that ended it before an answer. */
type Outcome = { status: number; body: string } | { error: string };

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Outcome> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve) => {
    // A connection of its own each time: node:cluster hands connections, not requests, to the api processes.
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method, agent: false, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.once('end', () => resolve({ status: res.statusCode!, body: text }));
        res.once('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      },
    );
    req.once('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.setTimeout(10_000, () => req.destroy(Object.assign(new Error('no answer in 10 s'), { code: 'TIMEOUT' })));
    req.end(payload);
  });
}

/** `npm start` with API_PROCESSES=2: two api processes on one PORT, the worker process beside them, one primary that owns them. */
describe('npm start with API_PROCESSES=2', () => {
  let database: TestDatabase;
  let app: ReturnType<typeof spawnApp>;
  let port: number;
  let admin: TestUser;

  const listening = () => app.lines().filter((line) => line.msg.startsWith('listening on'));
  const servedBy = (correlationId: string) => app.lines().find((line) => line.msg === 'request' && (line as { correlationId?: string }).correlationId === correlationId)?.pid;

  beforeAll(async () => {
    database = await createTestDatabase('api_processes');
    port = await freePort();
    app = spawnApp('main.js', {
      ...process.env,
      ...IDENTITY_ENV,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      WORKER_PORT: '0',
      API_PROCESSES: '2',
      METRICS_TOKEN,
      READ_MODEL_POOL_SIZE: '3',
      EVENT_STORE_POOL_SIZE: '3',
    });
    await eventually(async () => {
      if (app.child.exitCode !== null) throw new Error(`npm start exited: ${app.output()}`);
      return new Set(listening().map((line) => line.pid)).size === 2 && app.lines().some((line) => line.msg === 'worker running');
    }, 90_000, 'two api processes listening and the worker running');
    const http = request(`http://127.0.0.1:${port}`);
    const staff = await Staff.of(http);
    admin = staff.admin;
    await staff.hire('worker');
    // The tasks context learns of the worker from the users projection, shortly.
    await eventually(async () => {
      const outcome = await send(port, 'POST', '/tasks', bearer(admin), { title: 'first', description: 'once a worker is known' });
      return 'status' in outcome && outcome.status === 201;
    }, 30_000, 'a task to be created');
  }, 150_000);

  afterAll(async () => {
    if (app && app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill('SIGKILL');
      await exited(app.child);
    }
    await database?.drop();
  });

  it('answers from both api processes, never from the primary, and one /metrics counts the requests of both', async () => {
    const apiPids = new Set(listening().map((line) => line.pid));
    // The kernel gives a connection to whichever api process accepts first: one after another, they may all go to one.
    // Bursts of concurrent ones, until both have answered (at most 20 bursts).
    const ids: string[] = [];
    for (let burst = 0; burst < 20 && new Set(ids.map(servedBy)).size < apiPids.size; burst++) {
      const sent = Array.from({ length: 10 }, () => randomUUID());
      ids.push(...sent);
      const outcomes = await Promise.all(sent.map((id) => send(port, 'GET', '/health', { 'x-correlation-id': id })));
      for (const outcome of outcomes) expect(outcome).toMatchObject({ status: 200 });
      await eventually(async () => sent.every((id) => servedBy(id) !== undefined), 5_000, 'the request log lines');
    }
    const pids = new Set(ids.map(servedBy));
    expect(pids).toEqual(apiPids);
    expect(pids.has(app.child.pid)).toBe(false);

    const scrape = await send(port, 'GET', '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(scrape).toMatchObject({ status: 200 });
    const body = (scrape as { body: string }).body;
    // The scrape hit one process; the primary gathered the other's counters into it, each process's once.
    expect(sampleSum(body, 'http_request_duration_seconds_count', { route: '/health' })).toBe(ids.length);
    // And the worker's: only it runs projections (the users projection applied the staff this suite hired).
    expect(sampleSum(body, 'projection_events_applied_total', {})).toBeGreaterThan(0);
  });

  it('creates every task of a burst of concurrent POST /tasks', async () => {
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => send(port, 'POST', '/tasks', bearer(admin), { title: `burst ${i}`, description: 'at once' })));
    expect(outcomes.filter((outcome) => !('status' in outcome) || outcome.status !== 201)).toEqual([]);
  });

  it('loses no acknowledged task when an api process is killed under load, and starts another in its place', async () => {
    const [victim, survivor] = [...new Set(listening().map((line) => line.pid))];
    const acknowledged: string[] = [];
    const failures: Outcome[] = [];
    let killedAt = 0;
    let answeredAfterKill = 0;
    let stopped = false;
    const client = async (n: number) => {
      for (let i = 0; !stopped; i++) {
        const outcome = await send(port, 'POST', '/tasks', bearer(admin), { title: `load ${n}.${i}`, description: 'while one api process dies' });
        if ('status' in outcome && outcome.status === 201) {
          acknowledged.push((JSON.parse(outcome.body) as { taskId: string }).taskId);
          if (killedAt) answeredAfterKill++;
        } else if ('status' in outcome || outcome.error === 'TIMEOUT') failures.push(outcome);
        // A connection the killed process had taken ends without an answer (reset): that task was never acknowledged.
      }
    };
    const clients = Array.from({ length: 4 }, (_, n) => client(n));
    try {
      await eventually(async () => acknowledged.length >= 40, 30_000, '40 tasks under load');
      process.kill(victim, 'SIGKILL');
      killedAt = Date.now();
      await sleep(3_000);
    } finally {
      // The clients end however this went, or they would keep posting into the next test.
      stopped = true;
      await Promise.all(clients);
    }

    // Every answer was a 201, and no connection was left waiting for an answer that never comes: the other api process took every new connection meanwhile.
    expect(failures).toEqual([]);
    expect(answeredAfterKill).toBeGreaterThan(0);
    await eventually(async () => new Set(listening().map((line) => line.pid)).size === 3, 30_000, 'an api process started in place of the killed one');
    expect(app.lines().find((line) => line.msg === 'api process exited; starting it again')).toMatchObject({ pid: app.child.pid, childPid: victim, signal: 'SIGKILL' });
    expect(new Set(listening().map((line) => line.pid)).has(survivor)).toBe(true);

    // Every acknowledged task is in the task board (the read model the worker process fills).
    const missing = async () => {
      const left: string[] = [];
      for (const taskId of acknowledged) if (((await send(port, 'GET', `/tasks/${taskId}`, bearer(admin))) as { status?: number }).status !== 200) left.push(taskId);
      return left;
    };
    await eventually(async () => (await missing()).length === 0, 30_000, 'every acknowledged task on the board');
  }, 90_000);

  it('stops every process at SIGTERM to the primary: the api processes, then the worker, then the primary, each logging `stopped`, exit code 0', async () => {
    app.child.kill('SIGTERM');
    expect(await exited(app.child)).toBe(0);
    const lines = app.lines();
    const stopped = lines.filter((line) => line.msg === 'stopped');
    // The two api processes running then, the worker process and the primary.
    expect(new Set(stopped.map((line) => line.pid)).size).toBe(4);
    // The signal went to the primary alone: the worker hears of the stop only once both api processes have stopped.
    const workerPid = lines.find((line) => line.msg === 'worker running')!.pid;
    const apisStopped = lines.flatMap((line, index) => (line.msg === 'stopped' && line.pid !== workerPid && line.pid !== app.child.pid ? [index] : []));
    expect(apisStopped).toHaveLength(2);
    expect(lines.findIndex((line) => line.msg === 'shutting down' && line.pid === workerPid)).toBeGreaterThan(Math.max(...apisStopped));
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped', pid: app.child.pid });
    // Nothing failed but the api process this test killed.
    expect(lines.filter((line) => line.level >= 50 && line.msg !== 'api process exited; starting it again')).toEqual([]);
  }, 60_000);
});
