import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createKnex, ProcessManagerStore, ProcessManagerWorker } from '@app/core';
import { PostgresEventStore, type RecordedEvent } from '@app/eventstore';
import { POISON_TICK } from './fixtures/tick-reactions';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventually } from './support/wait';

const run = promisify(execFile);
const fixtures = join(__dirname, '..', 'dist', 'test', 'fixtures');
const cli = join(fixtures, 'cli.fixture.js');

/** `npm run cli -- ...` as a user runs it: a separate process against the platform's database. */
async function runCli(database: TestDatabase, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliOf(cli, database, ...args);
}

async function runCliOf(fixture: string, database: TestDatabase, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [fixture, ...args], { env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Each test starts CLI processes, one after another: seconds each on a busy two-core machine. */
jest.setTimeout(30_000);

describe('CLI', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('cli');
    const store = new PostgresEventStore({ connectionString: database.url });
    try {
      for (let batch = 0; batch < 12; batch++) {
        const events = Array.from({ length: 100 }, (_, i) => ({ id: randomUUID(), type: 'Tick', data: { n: batch * 100 + i + 1 } }));
        await store.appendToStream(`tick-${batch % 3}`, events);
      }
    } finally {
      await store.close();
    }
  });
  afterAll(() => database.drop());

  it('migrate reports the database is up to date', async () => {
    const result = await runCli(database, 'migrate');
    expect(result).toMatchObject({ code: 0, stdout: 'Database is up to date.\n' });
  });

  it('projections:rebuild builds the read model with a progress bar, with no worker running', async () => {
    const result = await runCli(database, 'projections:rebuild', 'tick_counts');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Rebuild of tick_counts v1 requested');
    expect(result.stdout).toMatch(/tick_counts \[#{30}\] 100% 1,200\/1,200 events/);
    expect(result.stdout).toContain('tick_counts rebuilt');
    const knex = createKnex(database.url, 1);
    try {
      const rows = await knex('tick_counts_streams').orderBy('stream_name');
      expect(rows.map((r) => [r.stream_name, r.count])).toEqual([
        ['tick-0', 400],
        ['tick-1', 400],
        ['tick-2', 400],
      ]);
      expect(rows.reduce((sum, r) => sum + Number(r.total), 0)).toBe((1200 * 1201) / 2);
    } finally {
      await knex.destroy();
    }
  });

  it('projections:status lists each projection as a table, or as JSON with --json', async () => {
    const text = await runCli(database, 'projections:status');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^NAME\s+VERSION\s+STATUS\s+POSITION\s+LAG_EVENTS\s+LAG_SECONDS\s+LAST_ERROR$/);
    expect(text.stdout).toMatch(/tick_counts\s+1\s+running\s+[0-9a-f]{16}-[0-9a-f]{16}\s+0\s+0\.0/);
    const json = await runCli(database, 'projections:status', '--json');
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ name: 'tick_counts', status: 'running', lagEvents: 0 })]);
  });

  it('projections:retry resumes a halted projection, and on one that is not halted says so with exit code 2 (PROJECTION_NOT_HALTED)', async () => {
    const knex = createKnex(database.url, 1);
    try {
      // Halted as the runtime halts one after its last attempt at an event.
      await knex('projection_state').where({ name: 'tick_counts' }).update({ halted: true, last_error: 'tick 7 cannot be applied' });
      const resumed = await runCli(database, 'projections:retry', 'tick_counts');
      expect(resumed).toMatchObject({ code: 0, stdout: 'tick_counts resumed; a worker retries the event it halted on.\n' });
      expect(await knex('projection_state').where({ name: 'tick_counts' }).first()).toMatchObject({ halted: false, last_error: null });
      const again = await runCli(database, 'projections:retry', 'tick_counts');
      expect(again).toMatchObject({ code: 2, stdout: '' });
      expect(again.stderr).toBe('tick_counts is not halted (status running): there is nothing to retry (PROJECTION_NOT_HALTED).\n');
    } finally {
      await knex.destroy();
    }
  });

  it('a mistake is one clear line with the usage and exit code 2', async () => {
    const unknownProjection = await runCli(database, 'projections:rebuild', 'nope');
    expect(unknownProjection.code).toBe(2);
    expect(unknownProjection.stderr).toContain('Unknown projection "nope" (known: tick_counts)');
    const unknownCommand = await runCli(database, 'frobnicate');
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain('Unknown command "frobnicate"');
    const skipWithoutConfirmation = await runCli(database, 'projections:skip', 'tick_counts');
    expect(skipWithoutConfirmation.code).toBe(2);
    expect(skipWithoutConfirmation.stderr).toContain('--yes');
  });
});

describe('bin/popug (npx popug): the compiled CLI with nothing but its output on stdout', () => {
  let database: TestDatabase;
  const popug = join(__dirname, '..', 'bin', 'popug');

  beforeAll(async () => {
    database = await createTestDatabase('cli_bin');
  });
  afterAll(() => database.drop());

  it('projections:status --json prints the JSON document alone, so it pipes into jq', async () => {
    const result = await runCliOf(popug, database, 'projections:status', '--json');
    expect(result.code).toBe(0);
    // The whole of stdout is one JSON value: no npm header, no log line, no build message.
    const reports = JSON.parse(result.stdout) as Array<{ name: string; status: string }>;
    expect(reports.map((r) => r.name)).toEqual(expect.arrayContaining(['users', 'task_board', 'ledger_balances', 'orders_orders']));
    expect(reports.every((r) => ['running', 'catching_up'].includes(r.status))).toBe(true);
  });

  it('names itself popug in its usage, and exits 2 on an unknown command', async () => {
    const result = await runCliOf(popug, database, 'frobnicate');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Unknown command "frobnicate"');
    expect(result.stderr).toContain('Usage: popug <command> [arguments]');
    expect(result.stderr).toMatch(/demo:seed .*a second run changes nothing/);
  });
});

describe('CLI: process managers', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let knex: ReturnType<typeof createKnex>;
  let worker: ProcessManagerWorker;
  const handled: number[] = [];
  const runPmCli = (...args: string[]) => runCliOf(join(fixtures, 'process-managers-cli.fixture.js'), database, ...args);

  beforeAll(async () => {
    database = await createTestDatabase('cli_process_managers');
    store = new PostgresEventStore({ connectionString: database.url, poolSize: 2, pollIntervalMs: 50 });
    knex = createKnex(database.url, 2);
    await store.appendToStream('tick-a', [{ id: randomUUID(), type: 'Tick', data: { n: 1 } }]);
    await store.appendToStream('tick-b', [
      { id: randomUUID(), type: 'Tick', data: { n: POISON_TICK } },
      { id: randomUUID(), type: 'Tick', data: { n: 2 } },
    ]);
    // The worker, in this process, as `npm run start:worker` would run tick-alarms; the CLI runs in others.
    worker = new ProcessManagerWorker({
      connectionString: database.url,
      store,
      knex,
      retryDelayMs: 20,
      maxRetryDelayMs: 100,
      processManagers: [
        {
          name: 'tick-alarms',
          eventTypes: ['Tick'],
          handler: {
            async handle(event: RecordedEvent) {
              const { n } = event.data as { n: number };
              if (n === POISON_TICK) throw new Error(`tick ${POISON_TICK} cannot be handled`);
              handled.push(n);
            },
          },
        },
      ],
    });
    await worker.start();
    await eventually(async () => ((await new ProcessManagerStore(knex).checkpoint('tick-alarms'))?.attempts ?? 0) > 0);
  });
  afterAll(async () => {
    await worker.stop();
    await store.close();
    await knex.destroy();
    await database.drop();
  });

  it('process-managers:status shows one stuck on an event as retrying, with the event and the error, and exits 3', async () => {
    const text = await runPmCli('process-managers:status');
    expect(text.code).toBe(3);
    const [header, row] = text.stdout.split('\n');
    expect(header).toMatch(/^NAME\s+STATUS\s+POSITION\s+LAG_EVENTS\s+LAG_SECONDS\s+ATTEMPTS\s+FAILING_EVENT\s+LAST_ERROR$/);
    expect(row).toMatch(new RegExp(`^tick-alarms\\s+retrying\\s+[0-9a-f]{16}-[0-9a-f]{16}\\s+2\\s+\\d+\\.\\d\\s+[1-9]\\d*\\s+Tick [0-9a-f-]{36}\\s+tick ${POISON_TICK} cannot be handled$`));
    const json = await runPmCli('process-managers:status', '--json');
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ name: 'tick-alarms', status: 'retrying', lagEvents: 2, lastError: `tick ${POISON_TICK} cannot be handled`, failingEvent: expect.objectContaining({ type: 'Tick' }) }),
    ]);
  });

  it('process-managers:skip wants a known name and --yes', async () => {
    const unknown = await runPmCli('process-managers:skip', 'nope', '--yes');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown process manager "nope" (known: tick-alarms)');
    const unconfirmed = await runPmCli('process-managers:skip', 'tick-alarms');
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');
    expect(handled).not.toContain(2);
  });

  it('process-managers:skip <name> --yes moves the worker past that one event, and status then shows it running', async () => {
    const skipped = await runPmCli('process-managers:skip', 'tick-alarms', '--yes');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/^Skip of Tick [0-9a-f-]{36} at [0-9a-f]{16}-[0-9a-f]{16} requested/);
    await expect(new ProcessManagerStore(knex).waitFor('tick-alarms', (await store.headPosition())!, 10_000)).resolves.toBeUndefined();
    expect(handled.sort()).toEqual([1, 2]);
    const text = await runPmCli('process-managers:status');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/tick-alarms\s+running\s+[0-9a-f]{16}-[0-9a-f]{16}\s+0\s+0\.0\s+0/);
    const nothingToSkip = await runPmCli('process-managers:skip', 'tick-alarms', '--yes');
    expect(nothingToSkip).toMatchObject({ code: 3, stdout: expect.stringContaining('tick-alarms is not failing on an event') });
  });
});
