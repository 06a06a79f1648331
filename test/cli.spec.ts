import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createKnex } from '@app/core';
import { PostgresEventStore } from '@app/eventstore';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const run = promisify(execFile);
const cli = join(__dirname, '..', 'dist', 'test', 'fixtures', 'cli.fixture.js');

/** `npm run cli -- ...` as a user runs it: a separate process against the platform's database. */
async function runCli(database: TestDatabase, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' } });
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
