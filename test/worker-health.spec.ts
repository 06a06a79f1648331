import { rmSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { embeddedPasswordFile } from '../libs/core/src/database/embedded-postgres';
import { bearer, IDENTITY_ENV, Staff, type TestUser } from './fixtures/identity.fixture';
import { exited } from './support/child-process';
import { freePort, isListening } from './support/ports';
import { type AppProcess, startAppProcess } from './support/processes';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventually } from './support/wait';
import { sampleSum } from './support/metrics-text';

const METRICS_TOKEN = 'worker-health-metrics';

async function stop(process: AppProcess | undefined): Promise<void> {
  if (!process || process.child.exitCode !== null) return;
  process.child.kill('SIGTERM');
  await exited(process.child);
}

/**
 * `npm run start:api` and `npm run start:worker` as two processes on one database, each on a
 * port of its own: the worker answers its own /health and /metrics on WORKER_PORT, and the api's
 * /health says which projection has stalled while no worker runs.
 */
describe('split mode: the worker reports on itself, the api says when a projection stalls', () => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let api: AppProcess | undefined;
  let worker: AppProcess | undefined;
  let http: ReturnType<typeof request>;
  let workerHttp: ReturnType<typeof request>;
  let workerPort: number;
  let staff: Staff;
  let manager: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase('worker_health');
    const [apiPort] = [await freePort()];
    workerPort = await freePort();
    env = {
      ...IDENTITY_ENV,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      WORKER_PORT: String(workerPort),
      METRICS_TOKEN,
      HEALTH_STALL_SECONDS: '3',
      READ_MODEL_POOL_SIZE: '3',
      EVENT_STORE_POOL_SIZE: '3',
    };
    [api, worker] = await Promise.all([startAppProcess('api/main.js', env, 'listening on'), startAppProcess('worker/main.js', env, 'worker running')]);
    http = request(`http://127.0.0.1:${apiPort}`);
    workerHttp = request(`http://127.0.0.1:${workerPort}`);
    staff = await Staff.of(http);
    manager = await staff.hire('manager');
    await staff.hire('worker');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stop(api), stop(worker)]);
    await database?.drop();
  });

  it('the worker logs where it listens: HOST and WORKER_PORT', () => {
    const line = worker!.lines().find((entry) => entry.msg.startsWith('worker listening on')) as { msg: string; url?: string } | undefined;
    expect(line?.url).toBe(`http://127.0.0.1:${workerPort}`);
  });

  it("the worker's /health: its database, its event store, and how many leases it holds", async () => {
    const health = await eventually(async () => {
      const response = await workerHttp.get('/health').expect(200);
      return response.body.details.leases.projections > 0 && response.body;
    });
    expect(health).toEqual({
      status: 'ok',
      details: {
        database: { status: 'ok' },
        eventStore: { status: 'ok' },
        leases: { projections: expect.any(Number), processManagers: expect.any(Number) },
      },
    });
    // With the metrics token, the names of what it runs (it is the only worker: all of them).
    const detailed = await workerHttp.get('/health').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(detailed.body.details.leases.names.projections).toContain('users');
    expect(detailed.body.details.leases.names.projections).toHaveLength(health.details.leases.projections);
    await workerHttp.get('/nothing').expect(404);
  });

  it("the worker's /metrics asks for the metrics token, like the api's", async () => {
    const refused = await workerHttp.get('/metrics').expect(401);
    expect(refused.body.error.code).toBe('UNAUTHENTICATED');
    await workerHttp.get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
  });

  it("the worker's /metrics has what its projections applied and the commands its process managers ran; the api's has neither", async () => {
    const created = await http.post('/tasks').set(bearer(manager)).send({ title: 'worker metrics', description: 'counted' }).expect(201);
    await http.get(`/tasks/${created.body.taskId}`).query({ after: created.body.position }).set(bearer(manager)).expect(200);
    const text = await eventually(async () => {
      const response = await workerHttp.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
      return sampleSum(response.text, 'commands_total', { outcome: 'ok' }) > 0 ? response.text : null;
    });
    expect(sampleSum(text, 'projection_events_applied_total', { projection: 'users' })).toBeGreaterThan(0);
    expect(sampleSum(text, 'projection_events_applied_total', { projection: 'task_board' })).toBeGreaterThan(0);
    // The lag is read from the database at scrape time, here too.
    expect(text).toMatch(/^projection_lag_events\{projection="task_board"\} \d+/m);
    expect(text).toMatch(/^process_manager_lag_events\{process_manager="[^"]+"\} \d+/m);
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
    const apiText = (await http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;
    expect(sampleSum(apiText, 'projection_events_applied_total')).toBe(0);
  });

  it("with no worker, the api's /health is degraded (200) once a projection with lag has not moved for HEALTH_STALL_SECONDS, and names it", async () => {
    await http.get('/health').expect(200, { status: 'ok', details: { database: { status: 'ok' }, eventStore: { status: 'ok' }, projections: { status: 'ok' } } });
    await stop(worker);
    worker = undefined;
    const created = await http.post('/tasks').set(bearer(manager)).send({ title: 'nobody applies this', description: 'stalled' }).expect(201);
    // Not at once: a lag younger than the bound is only a lag.
    expect((await http.get('/health').set(bearer(staff.admin)).expect(200)).body.status).toBe('ok');
    const degraded = await eventually(async () => {
      const response = await http.get('/health').set(bearer(staff.admin)).expect(200);
      return response.body.status === 'degraded' && response.body;
    }, 20_000, 'degraded');
    const stalled = degraded.details.projections.stalled as Array<{ name: string; lagEvents: number; lagSeconds: number; idleSeconds: number; leaseHeld: boolean }>;
    expect(degraded.details.projections.status).toBe('degraded');
    expect(degraded.details.projections.halted).toBeUndefined();
    expect(stalled.map((p) => p.name)).toContain('task_board');
    const tasks = stalled.find((p) => p.name === 'task_board')!;
    expect(tasks).toEqual({ name: 'task_board', lagEvents: expect.any(Number), lagSeconds: expect.any(Number), idleSeconds: expect.any(Number), leaseHeld: false });
    expect(tasks.lagEvents).toBeGreaterThan(0);
    expect(tasks.lagSeconds).toBeGreaterThanOrEqual(3);
    // Anyone else sees that it is degraded, not what.
    await http.get('/health').expect(200, { status: 'degraded', details: { database: { status: 'ok' }, eventStore: { status: 'ok' }, projections: { status: 'degraded' } } });

    // A worker again: it takes the leases, catches up, and the api is ok again.
    worker = await startAppProcess('worker/main.js', env, 'worker running');
    await http.get(`/tasks/${created.body.taskId}`).query({ after: created.body.position }).set(bearer(manager)).expect(200);
    await eventually(async () => (await http.get('/health').expect(200)).body.status === 'ok', 20_000, 'ok again');
  });
});


/**
 * Split mode on the embedded PostgreSQL (no DATABASE_URL): the api starts it, the worker joins it,
 * and neither owns it for the other. The api stopped and started again leaves the worker running
 * on it all along; the last process to stop, whichever, stops it.
 */
describe("split mode on the embedded PostgreSQL: the worker survives the api's restart", () => {
  const dataDir = join(__dirname, '..', '.data', `test-worker-health-${process.pid}`);
  let env: NodeJS.ProcessEnv;
  let databasePort: number;
  let apiPort: number;
  const started: AppProcess[] = [];

  beforeAll(async () => {
    [apiPort, databasePort] = [await freePort(), await freePort()];
    env = {
      ...IDENTITY_ENV,
      DATABASE_URL: '',
      EMBEDDED_PG_DIR: dataDir,
      EMBEDDED_PG_PORT: String(databasePort),
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      WORKER_PORT: String(await freePort()),
      METRICS_TOKEN,
    };
  });

  afterAll(async () => {
    await Promise.all(started.map(stop));
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(embeddedPasswordFile(dataDir), { force: true });
  });

  const startApi = async () => {
    const api = await startAppProcess('api/main.js', env, 'listening on');
    started.push(api);
    return api;
  };

  it('the api stops and starts again; the worker keeps its database and applies what the new api writes', async () => {
    const firstApi = await startApi();
    const worker = await startAppProcess('worker/main.js', env, 'worker running');
    started.push(worker);
    const http = request(`http://127.0.0.1:${apiPort}`);
    const workerHttp = request(`http://127.0.0.1:${env.WORKER_PORT}`);
    const staff = await Staff.of(http);
    const manager = await staff.hire('manager');
    await staff.hire('worker');
    const first = await http.post('/tasks').set(bearer(manager)).send({ title: 'before the restart', description: 'applied' }).expect(201);
    await http.get(`/tasks/${first.body.taskId}`).query({ after: first.body.position }).set(bearer(manager)).expect(200);

    // The api that started the database stops: the database stays for the worker.
    firstApi.child.kill('SIGTERM');
    expect(await exited(firstApi.child)).toBe(0);
    expect(firstApi.lines().map((line) => line.msg)).toEqual(expect.arrayContaining(['the embedded PostgreSQL keeps running: other processes of the platform use it', 'stopped']));
    expect(await isListening(databasePort)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await workerHttp.get('/health').expect(200);
    expect(worker.child.exitCode).toBeNull();

    // A new api joins the running database; the worker, which never stopped, applies its writes.
    await startApi();
    const second = await http.post('/tasks').set(bearer(manager)).send({ title: 'after the restart', description: 'applied too' }).expect(201);
    await http.get(`/tasks/${second.body.taskId}`).query({ after: second.body.position }).set(bearer(manager)).expect(200);
    await workerHttp.get('/health').expect(200);
    // Nothing went wrong in the worker meanwhile: no connection refused, no error at all.
    const errors = worker.lines().filter((line) => line.level >= 50);
    expect(errors).toEqual([]);
    expect(worker.lines().filter((line) => line.level >= 40 && /ECONNREFUSED|terminating connection/.test(JSON.stringify(line)))).toEqual([]);
  }, 120_000);

  it('the last process to stop stops the database, whichever started it', async () => {
    const [, worker, secondApi] = started;
    worker.child.kill('SIGTERM');
    expect(await exited(worker.child)).toBe(0);
    expect(worker.lines().some((line) => line.msg === 'the embedded PostgreSQL keeps running: other processes of the platform use it')).toBe(true);
    expect(await isListening(databasePort)).toBe(true);
    // The second api did not start the database, yet as the last one out it stops it.
    secondApi.child.kill('SIGTERM');
    expect(await exited(secondApi.child)).toBe(0);
    expect(secondApi.lines().some((line) => line.msg === 'the embedded PostgreSQL keeps running: other processes of the platform use it')).toBe(false);
    expect(await isListening(databasePort)).toBe(false);
  }, 60_000);
});

/**
 * `npm start` (the api, and the worker as its child process): the child listens on WORKER_PORT.
 * A second `npm start` on the same machine and the same WORKER_PORT still runs its worker, with a
 * warning (its metrics are in its api's /metrics anyway).
 */
describe('npm start: the worker process it starts listens on WORKER_PORT', () => {
  let database: TestDatabase;
  const started: AppProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('worker_health_npm_start');
  });

  afterAll(async () => {
    await Promise.all(started.map(stop));
    await database?.drop();
  });

  it('answers /health there; a second one on a taken WORKER_PORT warns and runs its worker all the same', async () => {
    const workerPort = await freePort();
    const env = (port: number) => ({
      ...IDENTITY_ENV,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'info',
      PORT: String(port),
      WORKER_PORT: String(workerPort),
      METRICS_TOKEN,
      READ_MODEL_POOL_SIZE: '3',
      EVENT_STORE_POOL_SIZE: '3',
    });
    const first = await startAppProcess('main.js', env(await freePort()), 'worker running');
    started.push(first);
    const health = await request(`http://127.0.0.1:${workerPort}`).get('/health').expect(200);
    expect(health.body.status).toBe('ok');
    expect(first.lines().find((line) => line.msg.startsWith('worker listening on'))?.pid).not.toBe(first.child.pid);

    const secondPort = await freePort();
    const second = await startAppProcess('main.js', env(secondPort), 'worker running');
    started.push(second);
    expect(second.lines().some((line) => line.msg.startsWith(`WORKER_PORT ${workerPort} is in use`))).toBe(true);
    // Its worker runs: its api's /metrics has the worker process's metrics added in.
    await request(`http://127.0.0.1:${secondPort}`).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(second.child.exitCode).toBeNull();
    expect(second.lines().filter((line) => line.msg === 'worker process exited; starting it again')).toEqual([]);
  }, 120_000);
});
