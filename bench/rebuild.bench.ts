/**
 * `npm run bench:rebuild`: how fast every read model is rebuilt from the log, and with how much
 * memory. Seeds BENCH_REBUILD_EVENTS events of the platform's contexts straight through the event
 * store (appendToStream, several writers, one append per stream), then rebuilds each projection
 * from scratch, one after another, through the real runtime (ProjectionStore.requestRebuild and a
 * ProjectionWorker: fresh generation, batches with their checkpoint, swap), and checks the rebuilt
 * read models against what was seeded. Prints a table and rewrites the `rebuild` section of BENCHMARKS.md.
 *
 * Environment (all optional):
 * - DATABASE_URL           server to use; the benchmark creates bench_rebuild_<ts> there and drops
 *                          it at the end. Unset: an embedded PostgreSQL under .data/bench-postgres.
 * - BENCH_REBUILD_EVENTS   events to seed (default 1,000,000)
 * - BENCH_REBUILD_WRITERS  concurrent appenders while seeding (default 8)
 * - BENCH_RESULTS_FILE     write the section there instead of BENCHMARKS.md
 * - PROJECTION_BATCH_SIZE, EVENT_STORE_POOL_SIZE, READ_MODEL_POOL_SIZE as the platform reads them.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { contextProjections, EventSchemaRegistry, loadConfig, ProjectionStore, ProjectionWorker, type ProjectionDefinition } from '@app/core';
import { createKnex, migrateToLatest } from '@app/core/database/migrations';
import { type EventData, PostgresEventStore } from '@app/eventstore';
import { contexts } from '../apps/contexts';

const projections = contextProjections(contexts);
const eventSchemas = contexts.flatMap((context) => context.eventSchemas);
import { writeBenchmarkSection } from './benchmarks-file';
import { commandLine, findings, formatLoad, formatNumber, machineLines, markdownTable, positiveInteger, resultsFile } from './bench-env';
import { type SeedPlan, seedPlan } from './rebuild-seed';
import { openServer } from './server';

const TARGET_EVENTS_PER_SECOND = 25_000;

interface ProjectionResult {
  name: string;
  /** Events of the types the projection handles. */
  events: number;
  seconds: number;
  rows: Record<string, number>;
  expectedRows: Record<string, number>;
  peakRss: number;
}

async function main(): Promise<void> {
  const events = positiveInteger('BENCH_REBUILD_EVENTS', 1_000_000);
  const writers = positiveInteger('BENCH_REBUILD_WRITERS', 8);
  const config = loadConfig();
  const startedAt = new Date();
  const server = await openServer();
  const database = `bench_rebuild_${startedAt.getTime()}`;
  const memory = new RssSampler();
  try {
    const url = await server.createDatabase(database);
    const knex = createKnex(url, config.readModelPoolSize);
    const store = new PostgresEventStore({ connectionString: url, poolSize: config.eventStorePoolSize });
    // The seed needs no durability: its commits skip the WAL flush, so seeding is bound by CPU, not by the disk.
    const seedStore = new PostgresEventStore({ connectionString: withOptions(url, '-c synchronous_commit=off'), poolSize: writers });
    const schemas = new EventSchemaRegistry().register(...eventSchemas);
    try {
      await migrateToLatest(knex);
      const projectionStore = new ProjectionStore(knex);
      for (const definition of projections) await projectionStore.install(definition);

      console.log(`Rebuild benchmark on ${server.description}: seeding ${formatNumber(events)} events with ${writers} writers...`);
      const plan = seedPlan(events);
      const seedStarted = performance.now();
      await seed(seedStore, schemas, plan, writers);
      await seedStore.close();
      // What autovacuum does shortly after a bulk load; before it, with no statistics on the fresh
      // rows, the planner may sort the rest of the log for every page instead of walking its index.
      await knex.raw('analyze es_events');
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      console.log(`seeded ${formatNumber(plan.events)} events in ${seedSeconds.toFixed(1)} s (${formatNumber(plan.events / seedSeconds)}/s)`);

      memory.start();
      const results: ProjectionResult[] = [];
      for (const definition of projections) {
        const result = await rebuild(definition, { url, store, knex, projectionStore, schemas, batchSize: config.projectionBatchSize, plan, memory });
        results.push(result);
        console.log(
          `${result.name}: ${formatNumber(result.events)} events in ${result.seconds.toFixed(2)} s, ` +
            `${formatNumber(result.events / result.seconds)} events/s, peak RSS ${mib(result.peakRss)}, load ${formatLoad()}`,
        );
      }
      memory.stop();
      const mismatches = results.flatMap((result) =>
        Object.entries(result.expectedRows)
          .filter(([table, expected]) => result.rows[table] !== expected)
          .map(([table, expected]) => `${result.name}.${table}: ${result.rows[table]} rows, expected ${expected}`),
      );
      const summary = { events: plan.events, seedSeconds, writers, batchSize: config.projectionBatchSize, results, mismatches, peakRss: memory.overallPeak, startRss: memory.first };
      console.log(`\n${renderTable(results, memory.overallPeak)}\n`);
      console.log(verdicts(results, memory.overallPeak, memory.first).join('\n'));
      if (mismatches.length > 0) {
        console.error(`Rebuilt read models do not match the seed:\n${mismatches.join('\n')}`);
        process.exitCode = 1;
      }
      const file = resultsFile();
      writeBenchmarkSection('rebuild', renderMarkdown(summary, startedAt, server.description), file);
      console.log(`\nWrote the rebuild section of ${file}`);
    } finally {
      memory.stop();
      await seedStore.close();
      await store.close();
      await knex.destroy();
    }
  } finally {
    await server.dropDatabase(database).catch(() => undefined);
    await server.stop();
  }
}

/** Appends the plan's streams, `writers` appends at a time, each stream in one append. */
async function seed(store: PostgresEventStore, schemas: EventSchemaRegistry, plan: SeedPlan, writers: number): Promise<void> {
  const metadata = { correlationId: randomUUID(), userId: plan.adminId };
  let next = 0;
  let reported = 0;
  const lanes = Array.from({ length: writers }, async () => {
    for (;;) {
      const stream = plan.stream(next++);
      if (!stream) return;
      const events: EventData[] = stream.events.map((event) => ({
        id: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: schemas.stamp(event.type, metadata),
      }));
      await store.appendToStream(stream.name, events, { expectedRevision: 'no_stream' });
      if (next - reported >= 50_000) {
        reported = next;
        console.log(`  ${formatNumber(next)} streams appended`);
      }
    }
  });
  await Promise.all(lanes);
}

interface RebuildContext {
  url: string;
  store: PostgresEventStore;
  knex: ReturnType<typeof createKnex>;
  projectionStore: ProjectionStore;
  schemas: EventSchemaRegistry;
  batchSize: number;
  plan: SeedPlan;
  memory: RssSampler;
}

/** Requests a rebuild and runs a worker for this projection alone until the new generation is swapped in. */
async function rebuild(definition: ProjectionDefinition, context: RebuildContext): Promise<ProjectionResult> {
  const { knex, projectionStore } = context;
  const types = definition.eventTypes;
  const [{ count }] = await knex('es_events').whereIn('type', types).count<{ count: string }[]>({ count: '*' });
  context.memory.resetPeak();
  const started = performance.now();
  const generation = await projectionStore.requestRebuild(definition);
  const worker = new ProjectionWorker({
    connectionString: context.url,
    store: context.store,
    knex,
    projections: [definition],
    schemas: context.schemas,
    batchSize: context.batchSize,
    leaseCheckMs: 50,
  });
  await worker.start();
  try {
    for (;;) {
      const state = await projectionStore.state(definition.name);
      if (state?.halted) throw new Error(`${definition.name} halted: ${state.last_error}`);
      if (state?.active_generation === generation) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await worker.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const rows: Record<string, number> = {};
  for (const table of Object.keys(definition.tables)) {
    const [{ n }] = await knex(table).count<{ n: string }[]>({ n: '*' });
    rows[table] = Number(n);
  }
  return { name: definition.name, events: Number(count), seconds, rows, expectedRows: context.plan.expectedRows(definition.name), peakRss: context.memory.peak };
}

/** Samples the process's resident set size, so a rebuild's memory can be seen to stay flat. */
class RssSampler {
  /** Since the last resetPeak. */
  peak = 0;
  /** Since start. */
  overallPeak = 0;
  first = 0;
  private timer: NodeJS.Timeout | null = null;

  start(): void {
    this.first = process.memoryUsage.rss();
    this.timer = setInterval(() => this.sample(), 25);
    this.timer.unref();
  }

  resetPeak(): void {
    this.peak = process.memoryUsage.rss();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private sample(): void {
    const rss = process.memoryUsage.rss();
    this.peak = Math.max(this.peak, rss);
    this.overallPeak = Math.max(this.overallPeak, rss);
  }
}

function withOptions(url: string, options: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', options);
  return parsed.toString();
}

function mib(bytes: number): string {
  return `${formatNumber(bytes / 2 ** 20)} MiB`;
}

function overallRate(results: ProjectionResult[]): { events: number; seconds: number; rate: number } {
  const events = results.reduce((sum, r) => sum + r.events, 0);
  const seconds = results.reduce((sum, r) => sum + r.seconds, 0);
  return { events, seconds, rate: events / seconds };
}

function renderTable(results: ProjectionResult[], peakRss: number): string {
  const total = overallRate(results);
  return markdownTable(
    ['Projection', 'Events', 'Seconds', 'Events/s', 'Peak RSS', 'Rows'],
    [false, true, true, true, true, false],
    [
      ...results.map((r) => [
        r.name,
        formatNumber(r.events),
        r.seconds.toFixed(2),
        formatNumber(r.events / r.seconds),
        mib(r.peakRss),
        Object.entries(r.rows)
          .map(([table, n]) => `${table}: ${formatNumber(n)}`)
          .join(', '),
      ]),
      ['all, one after another', formatNumber(total.events), total.seconds.toFixed(2), formatNumber(total.rate), mib(peakRss), ''],
    ],
  );
}

function verdicts(results: ProjectionResult[], peakRss: number, startRss: number): string[] {
  const total = overallRate(results);
  // A projection of a few hundred events spends its time starting up, not applying: only the big ones say something.
  const measurable = results.filter((r) => r.events >= 10_000);
  const slowest = measurable.length > 0 ? measurable.reduce((a, b) => (a.events / a.seconds < b.events / b.seconds ? a : b)) : null;
  const lines = [
    total.rate >= TARGET_EVENTS_PER_SECOND
      ? `- pass: all projections ${formatNumber(total.rate)} events/s (≥ ${formatNumber(TARGET_EVENTS_PER_SECOND)})`
      : `- **miss: all projections**: ${formatNumber(total.rate)} events/s, ${Math.round((1 - total.rate / TARGET_EVENTS_PER_SECOND) * 100)}% short of ${formatNumber(TARGET_EVENTS_PER_SECOND)}`,
  ];
  const slowRate = slowest ? slowest.events / slowest.seconds : Infinity;
  if (slowest && slowRate < TARGET_EVENTS_PER_SECOND) {
    lines.push(`- slowest: ${slowest.name}, ${formatNumber(slowRate)} events/s, ${Math.round((1 - slowRate / TARGET_EVENTS_PER_SECOND) * 100)}% short`);
  }
  lines.push(`- memory: RSS ${mib(startRss)} when the rebuilds started, peak ${mib(peakRss)} during them`);
  return lines;
}

interface Summary {
  events: number;
  seedSeconds: number;
  writers: number;
  batchSize: number;
  results: ProjectionResult[];
  mismatches: string[];
  peakRss: number;
  startRss: number;
}

function renderMarkdown(summary: Summary, startedAt: Date, server: string): string {
  return `## Rebuild: \`npm run bench:rebuild\`

${formatNumber(summary.events)} events of the platform's contexts, appended straight through the event store
(${summary.writers} writers, one append per stream: ${formatNumber(summary.events / summary.seedSeconds)} events/s while seeding), then every
projection rebuilt from scratch, one after another, by the real runtime in the benchmark's own
process: a rebuild request, a ProjectionWorker building the new generation in batches of
${summary.batchSize} (PROJECTION_BATCH_SIZE) with their checkpoints, and the swap. A projection's time runs from
the request to the swap; its events are those of the types it handles. Peak RSS is the
benchmark process's resident memory (sampled every 25 ms), which holds the event store client, the
worker and nothing else. Written by \`npm run bench:rebuild\` (bench/rebuild.bench.ts).

${renderTable(summary.results, summary.peakRss)}

${summary.mismatches.length === 0 ? 'Every rebuilt table has exactly the rows the seed implies.' : `Rebuilt tables that do not match the seed:\n\n${summary.mismatches.map((m) => `- ${m}`).join('\n')}`}

### Targets

${verdicts(summary.results, summary.peakRss, summary.startRss).join('\n')}

### Machine

${machineLines(startedAt, server).join('\n')}

### Command

\`\`\`sh
${commandLine('bench:rebuild', ['BENCH_REBUILD_EVENTS', 'BENCH_REBUILD_WRITERS', 'PROJECTION_BATCH_SIZE', 'EVENT_STORE_POOL_SIZE', 'READ_MODEL_POOL_SIZE'])}
\`\`\`

${findings('rebuild')}
`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
