import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createKnex } from '@app/core';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const run = promisify(execFile);
/** What `npm run cli` runs (bin/popug runs the same file; test/cli.spec.ts covers the bin itself). */
const cli = join(__dirname, '..', 'dist', 'apps', 'cli', 'main.js');

async function seed(database: TestDatabase, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, 'demo:seed', ...args], {
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent', JWT_SECRET: 'demo-seed-test-secret', BEAK_HASH_COST: '1024' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Everything the seed is about, counted in the read models (the views the queries read). */
async function readModelCounts(knex: ReturnType<typeof createKnex>) {
  const count = async (query: Promise<Array<Record<string, unknown>>>) => Object.fromEntries((await query).map((row) => [String(row.key), Number(row.count)]));
  return {
    usersByRole: await count(knex('users').where('email', 'like', '%@demo.popug.example').select('role as key').count('* as count').groupBy('role')),
    tasksByStatus: await count(knex('task_board').where('jira_id', 'like', 'DEMO-%').select('status as key').count('* as count').groupBy('status')),
    billingCycles: await count(knex('billing_cycles').select('status as key').count('* as count').groupBy('status')),
    eventCodes: Number((await knex('ledger_event_codes').count('* as count').first())!.count),
    ledgerAccounts: Number((await knex('ledger_accounts').where({ branch: 'DEMO' }).count('* as count').first())!.count),
    postings: await count(knex('ledger_postings').where({ branch: 'DEMO' }).select('debit_credit as key').count('* as count').groupBy('debit_credit')),
    shows: Number((await knex('ticketing_shows').where('title', 'like', 'Demo:%').count('* as count').first())!.count),
    reservationsByStatus: await count(knex('ticketing_reservations').select('status as key').count('* as count').groupBy('status')),
    providers: (await knex('orders_providers').orderBy('name')).map((p) => [p.name, p.adapter, (p.menu as { items: unknown[] }).items.length]),
    ordersByStatus: await count(knex('orders_orders').select('status as key').count('* as count').groupBy('status')),
  };
}

/** Events in the log by type: what a run wrote. */
async function eventCounts(knex: ReturnType<typeof createKnex>): Promise<Record<string, number>> {
  const rows = await knex('es_events').select('type').count('* as count').groupBy('type');
  return Object.fromEntries(rows.map((row) => [row.type as string, Number(row.count)]));
}

/** Two runs of a process that boots the whole platform and drives it over HTTP: seconds each on a busy two-core machine. */
jest.setTimeout(90_000);

describe('npm run cli -- demo:seed', () => {
  let database: TestDatabase;
  let knex: ReturnType<typeof createKnex>;

  beforeAll(async () => {
    database = await createTestDatabase('demo_seed');
    knex = createKnex(database.url, 2);
  });
  afterAll(async () => {
    await knex.destroy();
    await database.drop();
  });

  it('fills a fresh database with every context, and a second run changes nothing and says so', async () => {
    const first = await seed(database, '--json');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.changed).toBe(true);
    expect(report.summary).toMatchObject({ users: { created: 8, existing: 0 }, tasks: { created: 8, existing: 0 }, orders: { created: 5, existing: 0 } });
    expect(report.notes).toEqual([]);
    // Users of every role, each printed with the beak to log in with.
    expect(report.users.map((u: { role: string }) => u.role)).toEqual(['admin', 'manager', 'accountant', 'worker', 'worker', 'worker', 'customer', 'customer']);
    for (const user of report.users) expect(Object.keys(user.beak).sort()).toEqual(['curvature', 'depth', 'length', 'width']);
    expect(report.closedDay).toMatchObject({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), payouts: expect.any(Number) });
    expect(report.orders.map((o: { status: string }) => o.status)).toEqual(['delivered', 'confirmed', 'placed', 'cancelled', 'cancelled']);

    const counts = await readModelCounts(knex);
    expect(counts).toEqual({
      usersByRole: { admin: 1, manager: 1, accountant: 1, worker: 3, customer: 2 },
      tasksByStatus: { completed: 4, open: 4 },
      billingCycles: { closed: 1 },
      eventCodes: 4,
      ledgerAccounts: 3,
      postings: { C: 4, D: 6 },
      shows: 2,
      reservationsByStatus: { confirmed: 2, held: 2 },
      providers: [
        ['Demo Noodle Nest', 'simulated', 1],
        ['Demo Pizza Pinguino', 'simulated', 2],
        ['Demo Sushi Sakura', 'simulated', 2],
        ['Demo Taco Toucan', 'simulated', 1],
      ],
      ordersByStatus: { delivered: 1, confirmed: 1, placed: 1, cancelled: 2 },
    });
    // The prices, assignees and times are the platform's own, recorded in the events.
    const created = await knex('es_events').where({ type: 'TaskCreated' }).first();
    expect(created.data).toMatchObject({ jiraId: expect.stringMatching(/^DEMO-\d$/) });
    expect(await knex('es_events').where({ type: 'TaskPriced' }).count('* as count').first()).toEqual({ count: '8' });
    const before = await eventCounts(knex);

    const second = await seed(database);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Nothing to do: the demo data is all there in the database; nothing was changed/);
    expect(second.stdout).toMatch(/\nusers +0 +8\n/);
    expect(second.stdout).toMatch(/ada\.admin@demo\.popug\.example +\{"length":4\.2,"depth":1\.5,"width":1\.1,"curvature":0\.3\}/);
    expect(await readModelCounts(knex)).toEqual(counts);
    // Nothing was written but the eight logins' sessions.
    const after = await eventCounts(knex);
    expect(after).toEqual({ ...before, UserSessionStarted: before.UserSessionStarted + 8 });
  });

  it('refuses --url that is not an http URL, and --admin-email without --url, with exit code 2', async () => {
    const badUrl = await seed(database, '--url', 'ftp://example.com');
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('--url: "ftp://example.com" is not an http(s) URL');
    const adminWithoutUrl = await seed(database, '--admin-email', 'a@example.com', '--admin-beak', '{}');
    expect(adminWithoutUrl.code).toBe(2);
    expect(adminWithoutUrl.stderr).toContain('--admin-email and --admin-beak go with --url');
  });
});
