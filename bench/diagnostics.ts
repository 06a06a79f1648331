import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { BenchServer } from './server';

/** What bounds the numbers: the server's durability settings and the cost of a round trip and of a commit. */
export interface Diagnostics {
  settings: Record<string, string>;
  /** Median of `select 1` on an open connection. */
  roundTripMs: number;
  /** Median of a one-row insert in its own transaction: a round trip plus the WAL flush of a commit. */
  commitMs: number;
}

const SETTINGS = ['synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay', 'shared_buffers', 'max_connections'];
const SAMPLES = 200;

/** Measured in `databaseUrl` with a scratch table it drops again; run it when the scenarios are done. */
export async function collectDiagnostics(server: BenchServer, databaseUrl: string): Promise<Diagnostics> {
  const rows = await server.query<{ name: string; setting: string }>(
    `select name, current_setting(name) as setting from pg_settings where name = any(array['${SETTINGS.join("','")}'])`,
  );
  const settings = Object.fromEntries(rows.map((row) => [row.name, row.setting]));
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const roundTripMs = await median(() => client.query('select 1'));
    await client.query('create table bench_commit_probe (id bigint)');
    let id = 0;
    const commitMs = await median(() => client.query('insert into bench_commit_probe values ($1)', [id++]));
    await client.query('drop table bench_commit_probe');
    return { settings, roundTripMs, commitMs };
  } finally {
    await client.end();
  }
}

async function median(operation: () => Promise<unknown>): Promise<number> {
  const timings: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await operation();
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  return timings[Math.floor(SAMPLES / 2)];
}
