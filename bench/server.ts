import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '@app/core/database/embedded-postgres';
import { processTreeCpuMs } from './product-process';

/** Port of the benchmark's own embedded server: clear of the platform's 54329 and the tests' 55000+. */
const EMBEDDED_PORT = 54339;

/**
 * BENCH_PG_PORT moves the embedded server to another port, with a data directory of its own
 * (.data/bench-postgres-<port>), so two benchmarks can run at once without sharing a server.
 */
function embeddedPort(): number {
  const raw = process.env.BENCH_PG_PORT;
  if (!raw) return EMBEDDED_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`BENCH_PG_PORT must be a port number, not "${raw}"`);
  return port;
}

/** The PostgreSQL server the benchmark creates its databases on. */
export interface BenchServer {
  /** Which server it is, for the report: where it came from and what version it runs. */
  description: string;
  /** Creates an empty database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  /** A query on the maintenance database, for settings and diagnostics. */
  query<Row extends Record<string, unknown>>(sql: string): Promise<Row[]>;
  /** Stops the embedded server, if the benchmark started one. */
  stop(): Promise<void>;
}

/**
 * DATABASE_URL's server when it is set, otherwise an embedded PostgreSQL with its data under
 * .data/bench-postgres (kept between runs so initdb only runs once), so `npm run bench:eventstore`
 * works on a machine with nothing but Node.
 */
export async function openServer(): Promise<BenchServer> {
  const external = process.env.DATABASE_URL;
  if (external) return connect(external, 'DATABASE_URL', () => Promise.resolve());
  const port = embeddedPort();
  const dataDir = join(__dirname, '..', '..', '.data', port === EMBEDDED_PORT ? 'bench-postgres' : `bench-postgres-${port}`);
  const embedded = await startEmbeddedPostgres({ dataDir, port, database: 'postgres', persistent: true });
  try {
    return await connect(embedded.url, `embedded (embedded-postgres, port ${port})`, embedded.stop);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

async function connect(maintenanceUrl: string, origin: string, stopServer: () => Promise<void>): Promise<BenchServer> {
  const admin = new Client({ connectionString: maintenanceUrl });
  await admin.connect();
  const [{ server_version: version }] = (await admin.query<{ server_version: string }>('show server_version')).rows;
  return {
    description: `PostgreSQL ${version}, ${origin}`,
    async createDatabase(name) {
      await admin.query(`create database ${name}`);
      const url = new URL(maintenanceUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async dropDatabase(name) {
      await admin.query(`drop database if exists ${name} with (force)`);
    },
    async query<Row extends Record<string, unknown>>(sql: string) {
      return (await admin.query<Row>(sql)).rows;
    },
    async stop() {
      await admin.end();
      await stopServer();
    },
  };
}

/**
 * CPU time in ms that the PostgreSQL backends serving `database` have used, counted from the first
 * reading: each reading adds what each backend used since the last one, a backend started since
 * counting from 0. The server must run on this machine (it reads /proc). A backend that ended
 * between readings loses what it used after the last one: the product's pools keep theirs open.
 */
export function postgresCpuMeter(server: BenchServer, database: string): () => Promise<number> {
  let backends = new Map<number, number>();
  let total = 0;
  return async () => {
    const rows = await server.query<{ pid: number }>(`select pid from pg_stat_activity where datname = '${database}'`);
    const now = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = processTreeCpuMs(pid);
      if (!Number.isNaN(ms)) now.set(pid, ms);
    }
    for (const [pid, ms] of now) total += ms - (backends.get(pid) ?? 0);
    backends = now;
    return total;
  };
}
