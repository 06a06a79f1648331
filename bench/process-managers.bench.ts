/**
 * `npm run bench:process-managers`: how fast each accounting process manager catches up from the
 * start of a task log (issue 13: at least 2,000 events/s from the start of a 100,000-task log).
 * Seeds BENCH_PM_TASKS tasks (bench:rebuild's plan, the identity and tasks part of it) straight
 * through the event store once, into a template database. Then, for each process manager that
 * has work on that log (task-accounts) and each BENCH_PM_CONCURRENCY, it clones a
 * fresh database from the template, puts that process manager's checkpoint at the start (every
 * other process manager's and every projection's at the head), starts the platform's worker as
 * `npm run start:worker` runs it (PlatformModule + WorkerModule, every context) and times it until
 * the checkpoint reaches the log's head. Checks what it wrote (prices, debits, credits) against
 * the seed. Prints a table and rewrites the `process-managers` section of BENCHMARKS.md.
 *
 * Environment (all optional):
 * - DATABASE_URL           server to use; the benchmark creates bench_pm_<ts>_* there and drops
 *                          them at the end. Unset: an embedded PostgreSQL under .data/bench-postgres.
 * - BENCH_PM_TASKS         tasks to seed (default 100,000)
 * - BENCH_PM_CONCURRENCY   PROCESS_MANAGER_CONCURRENCY values to run, comma-separated (default "32", the product's default)
 * - BENCH_PM_ONLY          process managers to run, comma-separated (default: task-accounts)
 * - BENCH_RESULTS_FILE     write the section there instead of BENCHMARKS.md
 * - LOG_LEVEL              the worker's log level (default error); the platform's other settings apply.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  contextProjections,
  createLogger,
  EventSchemaRegistry,
  loadConfig,
  loadContextConfigs,
  PinoNestLogger,
  PlatformModule,
  PROCESS_MANAGER,
  type ProcessManagerOptions,
  ProcessManagerStore,
  ProjectionStore,
} from '@app/core';
import { createKnex, migrateToLatest } from '@app/core/database/migrations';
import { type Position, PostgresEventStore } from '@app/eventstore';
import { contexts } from '../apps/contexts';
import { WorkerModule } from '../apps/worker/worker.module';
import { writeBenchmarkSection } from './benchmarks-file';
import { commandLine, findings, formatLoad, formatNumber, machineLines, markdownTable, positiveInteger, resultsFile } from './bench-env';
import { seedTaskLog, type TaskLog } from './process-managers-seed';
import { openServer } from './server';

const TARGET_EVENTS_PER_SECOND = 2_000;
/**
 * The process managers a task log gives work to: task-accounts prices each task on its creation
 * and charges its assignments and completion. payout-emails reacts to a billing close, which the
 * log has none of.
 */
const MEASURED = ['task-accounts'];
const SEED_WRITERS = 8;
/** A run that has not caught up by then is reported as stuck. */
const RUN_TIMEOUT_MS = 30 * 60_000;

const processManagers = contexts.flatMap((context) =>
  context.processManagers.map((type) => Reflect.getMetadata(PROCESS_MANAGER, type) as ProcessManagerOptions),
);

interface RunResult {
  name: string;
  concurrency: number;
  /** Events of the types the process manager handles, from the start of the log to its head. */
  events: number;
  /** From the worker's start to the checkpoint at the head. */
  seconds: number;
  /** Building and starting the worker app (Nest modules, connections, leases), not in `seconds`. */
  startupSeconds: number;
  /** What it wrote, by event type, against what the seed implies. */
  effects: Record<string, number>;
  expectedEffects: Record<string, number>;
}

async function main(): Promise<void> {
  const tasks = positiveInteger('BENCH_PM_TASKS', 100_000);
  const concurrencies = concurrencyList();
  const startedAt = new Date();
  const server = await openServer();
  const prefix = `bench_pm_${startedAt.getTime()}`;
  const template = `${prefix}_seed`;
  const databases = [template];
  try {
    console.log(`Process-manager benchmark on ${server.description}: seeding ${formatNumber(tasks)} tasks with ${SEED_WRITERS} writers...`);
    const seedStarted = performance.now();
    const templateUrl = await server.createDatabase(template);
    const { log, head } = await seedTemplate(templateUrl, tasks);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    console.log(`seeded ${formatNumber(log.events)} events (${formatNumber(log.tasks)} tasks) in ${seedSeconds.toFixed(1)} s`);

    const results: RunResult[] = [];
    for (const name of measuredList()) {
      for (const concurrency of concurrencies) {
        const database = `${prefix}_${results.length}`;
        databases.push(database);
        // A fresh copy of the seeded log for each run: nothing a previous run wrote is there.
        await server.query(`create database ${database} template ${template}`);
        const result = await run(name, concurrency, onDatabase(templateUrl, database), head, log);
        results.push(result);
        console.log(
          `${name} at concurrency ${concurrency}: ${formatNumber(result.events)} events in ${result.seconds.toFixed(2)} s, ` +
            `${formatNumber(result.events / result.seconds)} events/s (startup ${result.startupSeconds.toFixed(2)} s), load ${formatLoad()}`,
        );
        await server.dropDatabase(database);
      }
    }
    const mismatches = results.flatMap((result) =>
      Object.entries(result.expectedEffects)
        .filter(([type, expected]) => result.effects[type] !== expected)
        .map(([type, expected]) => `${result.name} at concurrency ${result.concurrency}: ${result.effects[type] ?? 0} ${type}, expected ${expected}`),
    );
    console.log(`\n${renderTable(results)}\n`);
    console.log(verdicts(results).join('\n'));
    if (mismatches.length > 0) {
      console.error(`What the process managers wrote does not match the seed:\n${mismatches.join('\n')}`);
      process.exitCode = 1;
    }
    const file = resultsFile();
    writeBenchmarkSection('process-managers', renderMarkdown({ tasks, log, seedSeconds, results, mismatches }, startedAt, server.description), file);
    console.log(`\nWrote the process-managers section of ${file}`);
  } finally {
    for (const database of databases) await server.dropDatabase(database).catch(() => undefined);
    await server.stop();
  }
}

function concurrencyList(): number[] {
  const raw = process.env.BENCH_PM_CONCURRENCY || '32';
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((value) => !Number.isInteger(value) || value <= 0)) {
    throw new Error(`BENCH_PM_CONCURRENCY must be positive whole numbers separated by commas, not "${raw}"`);
  }
  return values;
}

function measuredList(): string[] {
  const raw = process.env.BENCH_PM_ONLY;
  if (!raw) return MEASURED;
  const names = raw.split(',').map((part) => part.trim());
  const unknown = names.filter((name) => !MEASURED.includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_PM_ONLY names process managers of ${MEASURED.join(', ')}, not ${unknown.join(', ')}`);
  return names;
}

/** The URL of another database on the server whose database `url` names. */
function onDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * The seeded log, migrated, with every process manager's checkpoint and every projection's at its
 * head: each run then moves one process manager back to the start and leaves the rest idle.
 */
async function seedTemplate(url: string, tasks: number): Promise<{ log: TaskLog; head: Position }> {
  const config = loadConfig({ ...process.env, DATABASE_URL: url });
  const knex = createKnex(url, config.readModelPoolSize);
  // The seed needs no durability: its commits skip the WAL flush, as bench:rebuild's do.
  const seedStore = new PostgresEventStore({ connectionString: withOptions(url, '-c synchronous_commit=off'), poolSize: SEED_WRITERS });
  const store = new PostgresEventStore({ connectionString: url, poolSize: 1 });
  try {
    await migrateToLatest(knex);
    const schemas = new EventSchemaRegistry().register(...contexts.flatMap((context) => context.eventSchemas));
    const log = await seedTaskLog(seedStore, schemas, tasks, SEED_WRITERS);
    await knex.raw('analyze es_events');
    const head = await store.headPosition();
    if (head === null) throw new Error('The seeded log is empty');
    const checkpoints = new ProcessManagerStore(knex);
    for (const { name } of processManagers) {
      await checkpoints.install(name);
      await checkpoints.resetCheckpoint(name, head);
    }
    const projectionStore = new ProjectionStore(knex);
    for (const definition of contextProjections(contexts)) await projectionStore.install(definition);
    await knex('projection_checkpoints').update({ position: head, caught_up: true });
    return { log, head };
  } finally {
    await seedStore.close();
    await store.close();
    await knex.destroy();
  }
}

class BenchWorkerModule {}

/** One process manager from the start of the log, in the platform's worker, at one concurrency. */
async function run(name: string, concurrency: number, url: string, head: Position, log: TaskLog): Promise<RunResult> {
  const definition = processManagers.find((candidate) => candidate.name === name);
  if (!definition) throw new Error(`No process manager named ${name} in apps/contexts.ts`);
  const env = {
    ...process.env,
    DATABASE_URL: url,
    PROCESS_MANAGER_CONCURRENCY: String(concurrency),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  };
  const config = loadConfig(env);
  const knex = createKnex(url, 2);
  const checkpoints = new ProcessManagerStore(knex);
  let app: INestApplicationContext | null = null;
  try {
    await checkpoints.resetCheckpoint(name, null);
    const [{ count }] = await knex('es_events').whereIn('type', definition.eventTypes).count<{ count: string }[]>({ count: '*' });
    const logger = createLogger(config.logLevel);
    // As apps/launch.ts assembles the worker: every context, the settings of those with a worker module.
    const contextConfigs = loadContextConfigs(
      contexts.filter((context) => context.workerModule),
      env,
      config,
    );
    const root: DynamicModule = {
      module: BenchWorkerModule,
      imports: [PlatformModule.forRoot({ config, databaseUrl: url, logger, contexts, contextConfigs }), WorkerModule],
    };
    const booting = performance.now();
    app = await NestFactory.createApplicationContext(root, { logger: new PinoNestLogger(logger), abortOnError: false });
    await app.init();
    const started = performance.now();
    await caughtUp(checkpoints, name, head);
    const seconds = (performance.now() - started) / 1000;
    await app.close();
    app = null;
    const written = await knex('es_events').whereIn('type', ['TaskPriced', 'AccountDebited', 'AccountCredited']).groupBy('type').select('type').count<{ type: string; n: string }[]>({ n: '*' });
    const effects = Object.fromEntries(written.map((row) => [row.type, Number(row.n)]));
    const expectedEffects: Record<string, number> = { TaskPriced: log.tasks, AccountDebited: log.tasks + log.reshuffled, AccountCredited: log.tasks - log.reshuffled };
    return { name, concurrency, events: Number(count), seconds, startupSeconds: (started - booting) / 1000, effects, expectedEffects };
  } finally {
    await app?.close();
    await knex.destroy();
  }
}

/** Waits for the checkpoint to reach `head`, with a progress line every 10 s. */
async function caughtUp(checkpoints: ProcessManagerStore, name: string, head: Position): Promise<void> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  let report = Date.now() + 10_000;
  for (;;) {
    const row = await checkpoints.checkpoint(name);
    if (row?.position && row.position >= head) return;
    if (Date.now() >= deadline) throw new Error(`${name} did not catch up within ${RUN_TIMEOUT_MS / 60_000} min (at ${row?.position}, head ${head}): ${row?.last_error ?? ''}`);
    if (Date.now() >= report) {
      report = Date.now() + 10_000;
      console.log(`  ${name}: at ${row?.position ?? 'start'} of ${head}${row?.attempts ? `, attempt ${row.attempts}: ${row.last_error}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function withOptions(url: string, options: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', options);
  return parsed.toString();
}

function rate(result: RunResult): number {
  return result.events / result.seconds;
}

function effectsOf(result: RunResult): string {
  return Object.keys(result.expectedEffects)
    .map((type) => `${type}: ${formatNumber(result.effects[type] ?? 0)}`)
    .join(', ');
}

function renderTable(results: RunResult[]): string {
  return markdownTable(
    ['Process manager', 'Concurrency', 'Events', 'Seconds', 'Events/s', 'Startup (s)', `≥ ${formatNumber(TARGET_EVENTS_PER_SECOND)}/s`, 'Written'],
    [false, true, true, true, true, true, false, false],
    results.map((r) => [
      r.name,
      String(r.concurrency),
      formatNumber(r.events),
      r.seconds.toFixed(2),
      formatNumber(rate(r)),
      r.startupSeconds.toFixed(2),
      rate(r) >= TARGET_EVENTS_PER_SECOND ? 'pass' : '**miss**',
      effectsOf(r),
    ]),
  );
}

function verdicts(results: RunResult[]): string[] {
  return results.map((r) =>
    rate(r) >= TARGET_EVENTS_PER_SECOND
      ? `- pass: ${r.name} at concurrency ${r.concurrency}, ${formatNumber(rate(r))} events/s (≥ ${formatNumber(TARGET_EVENTS_PER_SECOND)})`
      : `- **miss: ${r.name} at concurrency ${r.concurrency}**: ${formatNumber(rate(r))} events/s, ${Math.round((1 - rate(r) / TARGET_EVENTS_PER_SECOND) * 100)}% short of ${formatNumber(TARGET_EVENTS_PER_SECOND)}`,
  );
}

interface Summary {
  tasks: number;
  log: TaskLog;
  seedSeconds: number;
  results: RunResult[];
  mismatches: string[];
}

function renderMarkdown(summary: Summary, startedAt: Date, server: string): string {
  const { log } = summary;
  const reduced =
    summary.tasks < 100_000
      ? `\n\nThis run used ${formatNumber(summary.tasks)} tasks, not the target's 100,000 (BENCH_PM_TASKS), so that it finishes in minutes at concurrency 1; the rate is over a log of that size.`
      : '';
  return `## Process managers: \`npm run bench:process-managers\`

Each accounting process manager catching up from the start of a task log. ${formatNumber(log.tasks)} tasks of bench:rebuild's seed
(the identity and tasks part: ${formatNumber(log.events)} events, appended straight through the event store in ${summary.seedSeconds.toFixed(1)} s;
each task created and assigned, then ${formatNumber(log.tasks - log.reshuffled)} completed and ${formatNumber(log.reshuffled)} reassigned by a reshuffle). For each
run a fresh database is cloned from the seeded one, the process manager's checkpoint is put at the start of the log (every other
process manager's and every projection's at its head), and the platform's worker is started in the benchmark's process as
\`npm run start:worker\` assembles it (PlatformModule and WorkerModule, every context, the real price draw); the time runs from
the worker having started (startup shown apart) until the checkpoint reaches the log's head. Events are those of the types
the process manager handles (task-accounts: TaskCreated, TaskAssigned, TaskCompleted); "Written" counts
what it appended, checked against the seed. payout-emails is not measured: it reacts to a billing close, and a task log has none.${reduced}

Concurrency is PROCESS_MANAGER_CONCURRENCY. At 1 the runtime handles one event at a time in log order, which stands in for the
runtime before issue 13's batching; it is not that runtime: it still moves the checkpoint once per batch of up to 100 events,
where the old one committed a checkpoint after every event: the old runtime paid one more write per event than this row
does (its own figures, when it was run, are under "Before" below). At 32 (the default) the events of a batch are handled 32 keys at a time (task-accounts: by task id), each key's
events in order. For comparison, the issue saw 15 to 20 events/s live (reactions to a
burst of HTTP commands, not a catch-up). Written by \`npm run bench:process-managers\` (bench/process-managers.bench.ts).

${renderTable(summary.results)}

${summary.mismatches.length === 0 ? 'Every run wrote exactly the prices, debits and credits the seed implies.' : `Runs whose writes do not match the seed:\n\n${summary.mismatches.map((m) => `- ${m}`).join('\n')}`}

### Targets

${verdicts(summary.results).join('\n')}

### Machine

${machineLines(startedAt, server).join('\n')}

### Command

\`\`\`sh
${commandLine('bench:process-managers', ['BENCH_PM_TASKS', 'BENCH_PM_CONCURRENCY', 'BENCH_PM_ONLY', 'BENCH_PG_PORT', 'PROCESS_MANAGER_BATCH_SIZE', 'EVENT_STORE_POOL_SIZE', 'READ_MODEL_POOL_SIZE'])}
\`\`\`

${findings('process-managers')}
`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
