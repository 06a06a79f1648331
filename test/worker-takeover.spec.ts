import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import request from 'supertest';
import { IDENTITY_ENV, Staff, type TestUser } from './fixtures/identity.fixture';
import { exited } from './support/child-process';
import { freePort } from './support/ports';
import { type AppProcess, startAppProcess } from './support/processes';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventually } from './support/wait';

/** What a worker process's /health says it holds (HEALTH_DETAILS=true: by name). */
interface Leases {
  projections: string[];
  processManagers: string[];
}

async function leasesOf(workerPort: number): Promise<Leases> {
  const response = await fetch(`http://127.0.0.1:${workerPort}/health`);
  const body = (await response.json()) as { details: { leases: { names: Leases } } };
  return body.details.leases.names;
}

/**
 * Two worker processes (`npm run start:worker`) and the api on one database. The worker holding the
 * leases is killed (SIGKILL) while clients create and complete tasks; the other takes over every
 * projection and process manager, and no effect is lost or doubled: each task is on the board
 * once, each assignment debited its fee once and each completion credited its reward once, and the
 * balances are what the log's postings add up to.
 */
describe('a worker process killed under load', () => {
  let database: TestDatabase;
  const running: AppProcess[] = [];

  afterAll(async () => {
    for (const { child } of running) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited(child);
      }
    }
    await database?.drop();
  });

  it('its leases pass to the other worker, which leaves every task on the board once and every fee and reward posted once', async () => {
    database = await createTestDatabase('worker_takeover');
    const [apiPort, firstPort, secondPort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      ...IDENTITY_ENV,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      HEALTH_DETAILS: 'true',
      READ_MODEL_POOL_SIZE: '3',
      EVENT_STORE_POOL_SIZE: '3',
    };
    const [api, first] = await Promise.all([
      startAppProcess('api/main.js', { ...env, PORT: String(apiPort) }, 'listening on'),
      startAppProcess('worker/main.js', { ...env, WORKER_PORT: String(firstPort) }, 'worker running'),
    ]);
    running.push(api, first);
    // The first worker holds every lease before the second one starts: the second has to take each over.
    const held: Leases = await eventually(async () => {
      const leases = await leasesOf(firstPort);
      return leases.projections.length > 0 && leases.processManagers.length > 0 ? leases : null;
    }, 20_000, 'the first worker to take its leases');
    const second = await startAppProcess('worker/main.js', { ...env, WORKER_PORT: String(secondPort) }, 'worker running');
    running.push(second);
    expect(await leasesOf(secondPort)).toEqual({ projections: [], processManagers: [] });

    const http = request(`http://127.0.0.1:${apiPort}`);
    const staff = await Staff.of(http);
    const workers = await Promise.all([staff.hire('worker'), staff.hire('worker'), staff.hire('worker')]);
    const tokenOf = new Map(workers.map((worker: TestUser) => [worker.userId, worker.token]));
    const post = (path: string, token: string, body: unknown = {}) =>
      fetch(`http://127.0.0.1:${apiPort}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // The tasks context learns of the workers from the users projection, shortly.
    const probe = await eventually(async () => {
      const response = await post('/tasks', staff.admin.token, { title: 'probe', description: 'is a worker known?' });
      return response.status === 201 ? ((await response.json()) as { taskId: string }).taskId : null;
    }, 20_000, 'a worker to be known');

    // Clients create tasks, and the assignee completes every other one, before and after the kill.
    const created: string[] = [];
    const completed: string[] = [];
    const failures: string[] = [];
    let stopped = false;
    const client = async (n: number) => {
      for (let i = 0; !stopped; i++) {
        const response = await post('/tasks', staff.admin.token, { title: `load ${n}.${i}`, description: 'while a worker dies' });
        if (response.status !== 201) {
          failures.push(`create: ${response.status} ${await response.text()}`);
          continue;
        }
        const task = (await response.json()) as { taskId: string; assigneeId: string };
        created.push(task.taskId);
        if (i % 2 === 1) continue;
        const done = await post(`/tasks/${task.taskId}/complete`, tokenOf.get(task.assigneeId)!);
        if (done.status === 200) completed.push(task.taskId);
        else failures.push(`complete: ${done.status} ${await done.text()}`);
      }
    };
    const clients = [0, 1, 2].map(client);
    try {
      await eventually(async () => created.length >= 30, 20_000, '30 tasks created under load');
      first.child.kill('SIGKILL');
      await sleep(5_000);
    } finally {
      // The clients end however this went, or they would keep posting while the processes are stopped.
      stopped = true;
      await Promise.all(clients);
    }
    expect(failures).toEqual([]);

    // The other worker took over every projection and process manager the killed one held.
    await eventually(async () => {
      const taken = await leasesOf(secondPort);
      return taken.projections.length === held.projections.length && taken.processManagers.length === held.processManagers.length;
    }, 15_000, 'the second worker to hold every lease');
    expect(await leasesOf(secondPort)).toEqual({ projections: expect.arrayContaining(held.projections), processManagers: expect.arrayContaining(held.processManagers) });

    const log = new Client({ connectionString: database.url });
    await log.connect();
    try {
      // From the event log: the postings of each task, by kind.
      const postings = async () =>
        (
          await log.query<{ task: string; type: string; user_id: string; amount: number; n: number }>(
            `select data->>'taskId' as task, type, data->>'userId' as user_id, sum((data->>'amount')::int)::int as amount, count(*)::int as n
             from es_events where type in ('AccountDebited', 'AccountCredited') group by 1, 2, 3`,
          )
        ).rows;
      const tasks = new Set([...created, probe]);
      await eventually(async () => {
        const rows = await postings();
        const debited = rows.filter((row) => row.type === 'AccountDebited' && tasks.has(row.task)).length;
        const credited = rows.filter((row) => row.type === 'AccountCredited').length;
        return debited === tasks.size && credited === completed.length;
      }, 30_000, 'a fee posted for every task and a reward for every completion');
      const rows = await postings();
      // Exactly once each: one posting per task and kind, none for a task nobody created or completed.
      expect(rows.filter((row) => row.n !== 1)).toEqual([]);
      expect(rows.filter((row) => row.type === 'AccountCredited').map((row) => row.task).sort()).toEqual([...completed].sort());
      expect(rows.filter((row) => row.type === 'AccountDebited').map((row) => row.task).sort()).toEqual([...tasks].sort());

      // Each worker's balance in the accounts read model is what the log's postings add up to.
      const expected = new Map<string, number>();
      for (const row of rows) expected.set(row.user_id, (expected.get(row.user_id) ?? 0) + (row.type === 'AccountCredited' ? row.amount : -row.amount));
      await eventually(async () => {
        const { body } = await http.get('/accounting/accounts').set('authorization', `Bearer ${staff.admin.token}`).expect(200);
        const balances = new Map((body as Array<{ userId: string; balance: number }>).map((account) => [account.userId, account.balance]));
        return [...expected].every(([userId, balance]) => balances.get(userId) === balance);
      }, 20_000, 'the balances to equal the postings');
    } finally {
      await log.end();
    }

    // Every task on the board exactly once, the completed ones completed.
    const board = new Map<string, { seen: number; status: string }>();
    await eventually(async () => {
      board.clear();
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ taskId: string; status: string }>; nextCursor: string | null } } = await http
          .get(`/tasks?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
          .set('authorization', `Bearer ${staff.admin.token}`)
          .expect(200);
        for (const task of page.body.items) board.set(task.taskId, { seen: (board.get(task.taskId)?.seen ?? 0) + 1, status: task.status });
        cursor = page.body.nextCursor;
      } while (cursor);
      return completed.every((taskId) => board.get(taskId)?.status === 'completed') && created.every((taskId) => board.has(taskId));
    }, 20_000, 'every task on the board');
    expect([...board.values()].filter((task) => task.seen !== 1)).toEqual([]);
    expect(created.filter((taskId) => !board.has(taskId))).toEqual([]);
  }, 90_000);
});
