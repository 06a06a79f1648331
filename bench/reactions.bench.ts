/**
 * `npm run bench:reactions`: how long a task's debit takes to show in its assignee's audit log
 * while tasks are being created at bench:http's full rate (issue 13: p99 under 1 s). The debit is
 * written by the task-accounts process manager (it prices the task on its creation, then posts the
 * assignment's fee to the assignee's account) and then shown by the `accounts` projection, so this
 * is the whole reaction path, measured through HTTP.
 *
 * Each run starts the product (dist/apps/main.js, as `npm start`
 * runs it: the api, which starts the worker as its child process) on a fresh database, registers the workers, and drives POST /tasks with autocannon
 * exactly as bench:http's POST /tasks scenario does (BENCH_CONNECTIONS connections, closed loop,
 * as fast as the product answers, the tokens of the admin and every worker in turn). Every task
 * assigned to one of the first BENCH_REACTIONS_SAMPLED workers is a sample. For each of those
 * workers one poller reads GET /accounting/me/audit-log?date=<today> as that worker, again and
 * again (BENCH_REACTIONS_POLL_MS apart), never with ?after=; a sample's latency runs from its
 * POST /tasks answer to the answer of the first read whose items hold a `debit` with its taskId
 * (that read's own round trip included). After the load the pollers go on until every sample has
 * shown or BENCH_REACTIONS_BOUND_MS has passed since its creation; those that have not are
 * counted as "never within the bound" and rank above every measured latency.
 *
 * BENCH_PRODUCTS names the builds to compare, "label=checkout" separated by commas (default: this
 * checkout, labelled "now"): with two, the runs alternate (round 1 of each, then round 2 of each,
 * ...), so both meet the same neighbours' load. Prints a table and rewrites the `reactions`
 * section of BENCHMARKS.md.
 *
 * Environment (all optional):
 * - DATABASE_URL              server to use; each run creates bench_reactions_<ts>_<n> and drops it.
 *                             Unset: an embedded PostgreSQL (BENCH_PG_PORT, default 54339).
 * - BENCH_PRODUCTS            builds to run, e.g. "before=/tmp/before,now=." (default "now=<this checkout>")
 * - BENCH_DURATION            seconds of load per run (default 10)
 * - BENCH_ROUNDS              runs of each build (default 2)
 * - BENCH_CONNECTIONS         connections of the load generator (default 32, as bench:http)
 * - BENCH_WORKERS             workers registered through the API (default 20, as bench:http)
 * - BENCH_REACTIONS_SAMPLED   workers whose tasks are sampled and whose audit log is polled (default 4)
 * - BENCH_REACTIONS_POLL_MS   pause between a poller's reads (default 10)
 * - BENCH_REACTIONS_BOUND_MS  how long a sample may take before it counts as never shown (default 30,000)
 * - BENCH_PRODUCT_PORT        the product's port (default: a free one)
 * - BENCH_RESULTS_FILE        write the section there instead of BENCHMARKS.md
 * - the product's own settings (BEAK_HASH_COST, PROCESS_MANAGER_CONCURRENCY, ...) pass through to it.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { writeBenchmarkSection } from './benchmarks-file';
import { commandLine, findings, formatLoad, formatNumber, machineLines, markdownTable, percentile, positiveInteger, resultsFile } from './bench-env';
import { BENCH_ADMIN, type BenchUser, createTaskRequests, inParallel, JsonClient, seedBenchUsers } from './http-client';
import { type ProductBuild, productBuilds, type RunningProduct, startProduct } from './product-process';
import { openServer } from './server';

const ADMIN = BENCH_ADMIN;
const TARGET_P99_MS = 1_000;

interface Settings {
  duration: number;
  rounds: number;
  connections: number;
  workers: number;
  sampled: number;
  pollMs: number;
  boundMs: number;
}

type Build = ProductBuild;

type User = BenchUser;

/** One run: one build, one fresh database, one load of BENCH_DURATION seconds. */
interface Run {
  build: string;
  round: number;
  creates: number;
  createsPerSecond: number;
  createP50: number;
  createP99: number;
  errors: number;
  /** Creation answer to the debit in the audit log, in ms, sorted; samples never shown are not in it. */
  latencies: number[];
  samples: number;
  never: number;
  /** Round trip of the pollers' audit-log reads during the load, ms. */
  pollP50: number;
  pollErrors: number;
  /** 1-minute load average at the end of the load. */
  load: string;
}

interface Sample {
  taskId: string;
  answeredAt: number;
}

async function main(): Promise<void> {
  const settings: Settings = {
    duration: positiveInteger('BENCH_DURATION', 10),
    rounds: positiveInteger('BENCH_ROUNDS', 2),
    connections: positiveInteger('BENCH_CONNECTIONS', 32),
    workers: positiveInteger('BENCH_WORKERS', 20),
    sampled: positiveInteger('BENCH_REACTIONS_SAMPLED', 4),
    pollMs: positiveInteger('BENCH_REACTIONS_POLL_MS', 10),
    boundMs: positiveInteger('BENCH_REACTIONS_BOUND_MS', 30_000),
  };
  if (settings.sampled > settings.workers) throw new Error('BENCH_REACTIONS_SAMPLED cannot exceed BENCH_WORKERS');
  const builds = productBuilds();
  const startedAt = new Date();
  const server = await openServer();
  const prefix = `bench_reactions_${startedAt.getTime()}`;
  const runs: Run[] = [];
  try {
    console.log(
      `Creation-to-audit-log benchmark on ${server.description}: ${builds.map((b) => `${b.label} (${b.commit}, ${b.root})`).join(' and ')}, ` +
        `${settings.rounds} run(s) each of ${settings.duration} s at ${settings.connections} connections`,
    );
    for (let round = 1; round <= settings.rounds; round++) {
      for (const build of builds) {
        const database = `${prefix}_${runs.length}`;
        try {
          const url = await server.createDatabase(database);
          const result = await run(build, round, url, settings);
          runs.push(result);
          console.log(describeRun(result));
        } finally {
          await server.dropDatabase(database).catch(() => undefined);
        }
      }
    }
    console.log(`\n${renderTables(runs, builds, settings)}\n`);
    const file = resultsFile();
    writeBenchmarkSection('reactions', renderMarkdown(runs, builds, settings, startedAt, server.description), file);
    console.log(`Wrote the reactions section of ${file}`);
    const errors = runs.reduce((sum, r) => sum + r.errors + r.pollErrors, 0);
    if (errors > 0) {
      console.error(`${errors} requests failed`);
      process.exitCode = 1;
    }
  } finally {
    await server.stop();
  }
}

async function run(build: Build, round: number, databaseUrl: string, settings: Settings): Promise<Run> {
  const product = await startProduct(
    databaseUrl,
    { ...build.env, BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_BEAK: JSON.stringify(ADMIN.beak), BOOTSTRAP_ADMIN_NAME: 'Bench admin' },
    { root: build.root },
  );
  const client = new JsonClient(product.baseUrl, 256);
  try {
    const { admin, workers } = await seedBenchUsers(client, settings.workers);
    const sampled = workers.slice(0, settings.sampled);
    await warmUp(client, admin, sampled, settings);
    return await measure(product, build, round, [admin, ...workers], sampled, client, settings);
  } finally {
    client.close();
    await product.stop();
  }
}


/**
 * A few tasks, waited for until their debits show, so the load starts with every connection
 * open and every code path run once, and with no backlog.
 */
async function warmUp(client: JsonClient, admin: User, sampled: User[], settings: Settings): Promise<void> {
  const tokens = new Map(sampled.map((worker) => [worker.userId, worker.token]));
  const created: { taskId: string; assigneeId: string }[] = [];
  await inParallel([...Array(20).keys()], 4, async (i) => {
    created.push(await client.expectOk('POST', '/tasks', { token: admin.token, body: { title: `Warm-up task ${i}`, description: 'Created by bench:reactions' } }));
  });
  const deadline = Date.now() + settings.boundMs;
  for (const task of created.filter((t) => tokens.has(t.assigneeId))) {
    for (;;) {
      const log = await client.expectOk<AuditLog>('GET', `/accounting/me/audit-log?date=${today()}`, { token: tokens.get(task.assigneeId) });
      if (log.items.some((entry) => entry.taskId === task.taskId && entry.kind === 'debit')) break;
      if (Date.now() > deadline) throw new Error(`The warm-up task ${task.taskId} has no debit after ${settings.boundMs} ms`);
      await sleep(50);
    }
  }
}

interface AuditLog {
  items: { kind: string; taskId: string | null }[];
}

async function measure(product: RunningProduct, build: Build, round: number, users: User[], sampled: User[], client: JsonClient, settings: Settings): Promise<Run> {
  const pending = new Map<string, Sample[]>(sampled.map((worker) => [worker.userId, []]));
  const latencies: number[] = [];
  const pollTimes: number[] = [];
  let samples = 0;
  let never = 0;
  let pollErrors = 0;
  let loading = true;

  const poller = async (worker: User): Promise<void> => {
    const waiting = pending.get(worker.userId)!;
    while (loading || waiting.length > 0) {
      if (waiting.length === 0) {
        await sleep(settings.pollMs);
        continue;
      }
      const sent = performance.now();
      let log: AuditLog;
      try {
        const response = await client.send<AuditLog>('GET', `/accounting/me/audit-log?date=${today()}`, { token: worker.token });
        if (response.status !== 200) throw new Error(`GET /accounting/me/audit-log answered ${response.status}`);
        log = response.body;
      } catch (error) {
        if (pollErrors++ < 3) console.error(`poller: ${(error as Error).message}`);
        await sleep(settings.pollMs);
        continue;
      }
      const answered = performance.now();
      if (loading) pollTimes.push(answered - sent);
      const debited = new Set(log.items.filter((entry) => entry.kind === 'debit').map((entry) => entry.taskId));
      for (let i = waiting.length - 1; i >= 0; i--) {
        const sample = waiting[i];
        if (debited.has(sample.taskId)) {
          latencies.push(answered - sample.answeredAt);
          waiting.splice(i, 1);
        } else if (!loading && answered - sample.answeredAt > settings.boundMs) {
          never++;
          waiting.splice(i, 1);
        }
      }
      await sleep(settings.pollMs);
    }
  };
  const pollers = sampled.map(poller);

  const result = await autocannon({
    url: product.baseUrl,
    connections: settings.connections,
    timeout: 10,
    duration: settings.duration,
    requests: createTaskRequests(users, 'bench:reactions', ({ taskId, assigneeId }) => {
      const waiting = pending.get(assigneeId);
      if (waiting) {
        waiting.push({ taskId, answeredAt: performance.now() });
        samples++;
      }
    }) as autocannon.Request[],
  });
  const load = formatLoad();
  loading = false;
  await Promise.all(pollers);
  latencies.sort((a, b) => a - b);
  pollTimes.sort((a, b) => a - b);
  return {
    build: build.label,
    round,
    creates: result.requests.total,
    createsPerSecond: result.requests.total / result.duration,
    createP50: result.latency.p50,
    createP99: result.latency.p99,
    errors: result.errors + result.non2xx,
    latencies,
    samples,
    never,
    pollP50: percentile(pollTimes, 0.5),
    pollErrors,
    load,
  };
}

/** The latency at `fraction` of every sample, the ones never shown ranking last (Infinity). */
function rank(run: Pick<Run, 'latencies' | 'never'>, fraction: number): number {
  const all = [...run.latencies, ...Array<number>(run.never).fill(Infinity)];
  return percentile(all, fraction);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function ms(value: number, boundMs: number): string {
  if (Number.isNaN(value)) return '—';
  return value === Infinity ? `> ${formatNumber(boundMs)}` : formatNumber(value);
}

function describeRun(r: Run): string {
  return (
    `${r.build} run ${r.round}: ${formatNumber(r.createsPerSecond)} creates/s (p50 ${r.createP50} ms, p99 ${r.createP99} ms, ${r.errors} errors); ` +
    `${r.samples} samples, creation to audit log p50 ${formatNumber(rank(r, 0.5))} ms, p95 ${formatNumber(rank(r, 0.95))} ms, ` +
    `p99 ${formatNumber(rank(r, 0.99))} ms, max ${formatNumber(rank(r, 1))} ms, ${r.never} never within the bound; poll p50 ${formatNumber(r.pollP50, 1)} ms; load ${r.load}`
  );
}

const RUN_HEADER = ['Build', 'Run', 'Creates/s', 'Create p99 (ms)', 'Samples', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'Max (ms)', 'Never within bound', 'Poll p50 (ms)', 'Load (1 min)'];
const RUN_NUMERIC = [false, true, true, true, true, true, true, true, true, true, true, true];
const SUMMARY_HEADER = ['Build', 'Runs', 'Creates/s', 'Samples', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'Max (ms)', 'Never within bound', `p99 < ${formatNumber(TARGET_P99_MS)} ms`];
const SUMMARY_NUMERIC = [false, true, true, true, true, true, true, true, true, false];

function runRows(runs: Run[], settings: Settings): string[][] {
  return runs.map((r) => [
    r.build,
    String(r.round),
    formatNumber(r.createsPerSecond),
    formatNumber(r.createP99),
    formatNumber(r.samples),
    ms(rank(r, 0.5), settings.boundMs),
    ms(rank(r, 0.95), settings.boundMs),
    ms(rank(r, 0.99), settings.boundMs),
    ms(rank(r, 1), settings.boundMs),
    formatNumber(r.never),
    formatNumber(r.pollP50, 1),
    r.load.split(', ')[0],
  ]);
}

/** Per build: the median run's figures (median over runs of each column); samples and never-shown summed. */
function summaryRows(runs: Run[], builds: Build[], settings: Settings): string[][] {
  return builds.map((build) => {
    const mine = runs.filter((r) => r.build === build.label);
    const p99 = median(mine.map((r) => rank(r, 0.99)));
    return [
      `${build.label} (${build.commit})`,
      String(mine.length),
      formatNumber(median(mine.map((r) => r.createsPerSecond))),
      formatNumber(mine.reduce((sum, r) => sum + r.samples, 0)),
      ms(median(mine.map((r) => rank(r, 0.5))), settings.boundMs),
      ms(median(mine.map((r) => rank(r, 0.95))), settings.boundMs),
      ms(p99, settings.boundMs),
      ms(median(mine.map((r) => rank(r, 1))), settings.boundMs),
      formatNumber(mine.reduce((sum, r) => sum + r.never, 0)),
      p99 < TARGET_P99_MS ? 'pass' : '**miss**',
    ];
  });
}

function renderTables(runs: Run[], builds: Build[], settings: Settings): string {
  return [markdownTable(SUMMARY_HEADER, SUMMARY_NUMERIC, summaryRows(runs, builds, settings)), '', markdownTable(RUN_HEADER, RUN_NUMERIC, runRows(runs, settings))].join('\n');
}

function renderMarkdown(runs: Run[], builds: Build[], settings: Settings, startedAt: Date, server: string): string {
  const loads = runs.map((r) => Number(r.load.split(', ')[0]));
  return `## Creation to audit log under load (issue 13): \`npm run bench:reactions\`

How long after \`POST /tasks\` answers its debit shows in the assignee's
\`GET /accounting/me/audit-log?date=<today>\` (read as that worker, without \`?after=\`): the path
through the process managers (the task priced, the debit posted) and the \`accounts\` projection,
while tasks are created at bench:http's full rate. Each run starts the product
(\`dist/apps/main.js\`, as \`npm start\` runs it: the api, and the worker as its child process) on a fresh database,
registers ${settings.workers} workers, creates 20 tasks and waits for their debits (warm-up, no
backlog), then drives \`POST /tasks\` with autocannon for ${settings.duration} s exactly as
bench:http's POST /tasks scenario does (${settings.connections} connections, closed loop, the admin's
and every worker's token in turn). Every task assigned to one of the first ${settings.sampled} workers is a
sample; one poller per such worker reads its audit log again and again (${settings.pollMs} ms between
reads). A sample's latency runs from its creation's answer to the answer of the first read that
holds its debit, that read's round trip included ("Poll p50" is that round trip). After the load
the pollers go on until each sample has shown or ${formatNumber(settings.boundMs)} ms have passed since its creation;
"Never within bound" counts those that had not, and they rank above every measured latency
(a percentile that falls on them reads "> ${formatNumber(settings.boundMs)}"). Written by \`npm run bench:reactions\`
(bench/reactions.bench.ts).

Builds: ${builds.map((b) => `${b.label} = ${b.commit}`).join(', ')}. ${builds.length > 1 ? 'Their runs alternated (run 1 of each, then run 2 of each, ...), in one invocation, on the same server.' : ''}
The load generator, the pollers, the product and PostgreSQL share the machine's ${cpus().length} cores; the
1-minute load average at the end of each run's load was ${formatNumber(Math.min(...loads), 2)} to ${formatNumber(Math.max(...loads), 2)}.

Per build, the median over its runs of each figure (samples and never-shown summed):

${markdownTable(SUMMARY_HEADER, SUMMARY_NUMERIC, summaryRows(runs, builds, settings))}

Every run, in the order they ran:

${markdownTable(RUN_HEADER, RUN_NUMERIC, runRows(runs, settings))}

### Machine

${machineLines(startedAt, server).join('\n')}

### Command

\`\`\`sh
${commandLine('bench:reactions', ['BENCH_PRODUCTS', 'BENCH_DURATION', 'BENCH_ROUNDS', 'BENCH_CONNECTIONS', 'BENCH_WORKERS', 'BENCH_REACTIONS_SAMPLED', 'BENCH_REACTIONS_POLL_MS', 'BENCH_REACTIONS_BOUND_MS', 'BENCH_PG_PORT', 'BENCH_PRODUCT_PORT', 'BEAK_HASH_COST', 'PROCESS_MANAGER_CONCURRENCY'])}
\`\`\`

${findings('reactions')}
`;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
