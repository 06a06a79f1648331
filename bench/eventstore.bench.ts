/**
 * `npm run bench:eventstore`: our PostgreSQL event store against Emmett's (@event-driven-io/
 * emmett-postgresql), on the same PostgreSQL server, each in a freshly created database of its own.
 * Prints a side-by-side table and rewrites its section of BENCHMARKS.md with it, the machine and the targets.
 *
 * Every scenario runs BENCH_ROUNDS times per store, the two stores taking turns, and the table
 * shows the median round: on a small shared machine single runs swing by a third.
 *
 * Environment:
 * - DATABASE_URL  server to use (any database on it; the benchmark creates bench_ours_<ts> and
 *                 bench_emmett_<ts> there and drops them at the end). Unset: an embedded
 *                 PostgreSQL with its data under .data/bench-postgres.
 * - BENCH_EVENTS  events per round of each single-event append scenario (default 3000); the batch
 *                 scenario writes ten times as many. Scale it down for a quick look.
 * - BENCH_ROUNDS  rounds per scenario (default 3).
 * - EVENT_STORE_POOL_SIZE and the platform's other settings apply to our store as they do in
 *   production (see libs/core/src/config/config.ts).
 */
import { BENCHMARKS_FILE, writeBenchmarkSection } from './benchmarks-file';
import { createKnex, migrateToLatest } from '@app/core/database/migrations';
import { ContenderClient, type Measurement } from './contender-client';
import { collectDiagnostics } from './diagnostics';
import type { ContenderName, Scenario } from './protocol';
import { type ScenarioPlan, type ScenarioResult, eventsPerSecond, renderConsole, renderMarkdown } from './report';
import { openServer } from './server';
import type { Target } from './targets';

/** Page and batch size for reading the log: our adapter's subscribeToAll default. */
const READ_BATCH = 1000;

/** Appends come first and fill the log the read scenarios then read. */
function plan(events: number): { warmUp: Scenario[]; appends: ScenarioPlan[]; reads: ScenarioPlan[] } {
  const twiceEmmett: Target = { kind: 'timesEmmett', min: 2 };
  const single = (writers: number, targets: Target[]): ScenarioPlan => ({
    label: `append 1 event, ${writers} writer${writers === 1 ? '' : 's'}`,
    scenario: { kind: 'append', writers, events, batchSize: 1 },
    targets,
  });
  return {
    // Opens every pooled connection, prepares statements and lets the JIT settle.
    warmUp: [
      { kind: 'append', writers: 32, events: 640, batchSize: 1 },
      { kind: 'append', writers: 8, events: 1000, batchSize: 100 },
    ],
    appends: [
      single(1, []),
      single(8, [twiceEmmett]),
      single(32, [twiceEmmett, { kind: 'eventsPerSecond', min: 5000 }]),
      {
        label: 'append batches of 100, 8 writers',
        scenario: { kind: 'append', writers: 8, events: events * 10, batchSize: 100 },
        targets: [{ kind: 'eventsPerSecond', min: 50_000 }],
      },
    ],
    reads: [
      { label: 'readAll, whole log', scenario: { kind: 'readAll', pageSize: READ_BATCH }, targets: [] },
      {
        label: 'catch-up subscriber, whole log',
        scenario: { kind: 'catchUp', batchSize: READ_BATCH },
        targets: [{ kind: 'eventsPerSecond', min: 50_000 }],
      },
    ],
  };
}

async function main(): Promise<void> {
  const events = positiveInteger('BENCH_EVENTS', 3000);
  const rounds = positiveInteger('BENCH_ROUNDS', 3);
  const { warmUp, appends, reads } = plan(events);
  const startedAt = new Date();
  const server = await openServer();
  const databases = { ours: `bench_ours_${startedAt.getTime()}`, emmett: `bench_emmett_${startedAt.getTime()}` };
  const contenders: ContenderClient[] = [];
  try {
    const urls = { ours: await server.createDatabase(databases.ours), emmett: await server.createDatabase(databases.emmett) };
    const knex = createKnex(urls.ours, 2);
    try {
      await migrateToLatest(knex);
    } finally {
      await knex.destroy();
    }
    for (const name of ['ours', 'emmett'] as const) contenders.push(await ContenderClient.start(name, urls[name]));
    const [ours, emmett] = contenders;

    console.log(`Event store benchmark on ${server.description}; median of ${rounds} rounds per scenario.`);
    for (const contender of contenders) {
      console.log(`${contender.name}: ${Object.values(contender.api).join('; ')}`);
    }
    for (const scenario of warmUp) {
      for (const contender of contenders) await contender.run(scenario);
    }
    const warmUpEvents = warmUp.reduce((sum, scenario) => sum + (scenario.kind === 'append' ? scenario.events : 0), 0);
    const logSize = warmUpEvents + rounds * appends.reduce((sum, { scenario }) => sum + (scenario.kind === 'append' ? scenario.events : 0), 0);
    const results = [
      ...(await runRounds(appends, rounds, ours, emmett, (scenario) => (scenario.kind === 'append' ? scenario.events : 0))),
      ...(await runRounds(reads, rounds, ours, emmett, () => logSize)),
    ];
    const diagnostics = await collectDiagnostics(server, urls.ours);
    console.log(`\n${renderConsole(results)}`);
    writeBenchmarkSection(
      'eventstore',
      renderMarkdown(results, {
        startedAt,
        server: server.description,
        command: commandLine(),
        events,
        rounds,
        api: { ours: ours.api, emmett: emmett.api },
        diagnostics,
      }),
    );
    console.log(`\nWrote the event store section of ${BENCHMARKS_FILE}`);
    if (results.some((result) => result.anomalies.some((anomaly) => anomaly.contender === 'ours'))) process.exitCode = 1;
  } finally {
    await Promise.all(contenders.map((contender) => contender.close()));
    for (const name of Object.values(databases)) await server.dropDatabase(name).catch(() => undefined);
    await server.stop();
  }
}

/**
 * Runs every scenario `rounds` times on both stores, round by round, who goes first alternating,
 * so that drift in the machine's background load does not land on one store. Checks every
 * measurement against the number of events the scenario should write or read.
 */
async function runRounds(
  plans: ScenarioPlan[],
  rounds: number,
  ours: ContenderClient,
  emmett: ContenderClient,
  expectedEvents: (scenario: Scenario) => number,
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = plans.map((plan) => ({ ...plan, events: expectedEvents(plan.scenario), rounds: [], anomalies: [] }));
  for (let round = 0; round < rounds; round++) {
    for (const [index, result] of results.entries()) {
      const order = (round + index) % 2 === 0 ? [ours, emmett] : [emmett, ours];
      const measured: Partial<Record<ContenderName, Measurement>> = {};
      for (const contender of order) {
        const measurement = await contender.run(result.scenario);
        measured[contender.name] = measurement;
        if (measurement.events !== result.events || measurement.distinct !== result.events) {
          result.anomalies.push({ contender: contender.name, round: round + 1, ...measurement });
        }
      }
      result.rounds.push({ ours: measured.ours!, emmett: measured.emmett! });
      console.log(
        `round ${round + 1}/${rounds} ${result.label}: ours ${eventsPerSecond(measured.ours!)}/s, emmett ${eventsPerSecond(measured.emmett!)}/s`,
      );
    }
  }
  return results;
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, not "${raw}"`);
  return value;
}

/** How this run was started, with any password in DATABASE_URL masked. */
function commandLine(): string {
  const settings: string[] = [];
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    settings.push(`DATABASE_URL=${url.toString()}`);
  }
  for (const name of ['BENCH_EVENTS', 'BENCH_ROUNDS', 'EVENT_STORE_POOL_SIZE']) {
    if (process.env[name]) settings.push(`${name}=${process.env[name]}`);
  }
  return [...settings, 'npm run bench:eventstore'].join(' ');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
