/**
 * `npm run bench:http`: the whole path, through HTTP. Starts the product (dist/apps/main.js: the api,
 * which starts the worker as its child process) as a process of its own on a fresh database, seeds an admin (through
 * BOOTSTRAP_ADMIN_*) and workers (through the API), logs everyone in once, and drives it with
 * autocannon from this process. Prints a table and rewrites the `http` section of BENCHMARKS.md.
 *
 * Scenarios (every non-2xx answer counts as an error; a run with errors exits with code 1):
 * - reads: GET /tasks/mine, each worker holding BENCH_TASKS_PER_WORKER tasks;
 * - create: POST /tasks;
 * - complete: POST /tasks/:id/complete by the assignee, for every task the create rounds made;
 * - command to read model: POST /tasks at a steady BENCH_LATENCY_RATE per second, each followed at
 *   once by GET /tasks/:id?after=<position>: the time from the command's answer to that query's
 *   answer is how long the command took to become visible in the read model.
 *
 * Environment (all optional):
 * - DATABASE_URL          server to use; the benchmark creates bench_http_<ts> there and drops it at
 *                         the end. Unset: an embedded PostgreSQL under .data/bench-postgres.
 * - BENCH_DURATION        seconds per round of each load scenario (default 10)
 * - BENCH_ROUNDS          rounds of each load scenario; the table shows the median (default 3)
 * - BENCH_CONNECTIONS     concurrent connections of the load generator (default 32)
 * - BENCH_WORKERS         workers registered through the API (default 20)
 * - BENCH_TASKS_PER_WORKER tasks each worker holds when the reads run (default 10)
 * - BENCH_LATENCY_RATE    commands per second of the command-to-read-model scenario (default 500)
 * - BENCH_PRODUCT_NODE_OPTIONS node flags for the product process, e.g. "--cpu-prof"
 * - BENCH_ONLY            "reads", "accounting", "create" or "latency": run only that scenario and write nothing (for profiling)
 * - BENCH_RESULTS_FILE    write the section there instead of BENCHMARKS.md
 * - the product's own settings (LOG_LEVEL, BEAK_HASH_COST, pool sizes, ...) pass through to it.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { writeBenchmarkSection } from './benchmarks-file';
import {
  commandLine,
  findings,
  formatLoad,
  formatNumber,
  machineLines,
  markdownTable,
  percentile,
  positiveInteger,
  resultsFile,
} from './bench-env';
import { BENCH_ADMIN, type BenchUser, createTaskRequests, inParallel, JsonClient, seedBenchUsers } from './http-client';
import { processTreeCpuMs, startProduct } from './product-process';
import { openServer } from './server';

const ADMIN = BENCH_ADMIN;

const TARGETS = {
  createPerSecond: 1500,
  createP99Ms: 50,
  readsPerSecond: 5000,
  commandToReadModelP99Ms: 50,
};

interface Settings {
  duration: number;
  rounds: number;
  connections: number;
  workers: number;
  tasksPerWorker: number;
  latencyRate: number;
}

type User = BenchUser;

/** The admin and `count` workers, registered and logged in, with how long that took. */
async function seedUsers(client: JsonClient, count: number): Promise<{ admin: User; workers: User[] }> {
  const started = performance.now();
  const users = await seedBenchUsers(client, count);
  console.log(`registered and logged in ${count} workers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return users;
}

/** One round of one load scenario. */
interface Round {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
  /** CPU time the product's process spent per request (user + system), in microseconds. */
  cpuMicros: number;
  load: string;
}

interface ScenarioResult {
  label: string;
  rounds: Round[];
  median: Round;
  target: string;
  verdict: 'pass' | 'miss' | '—';
  misses: string[];
}

interface LatencyResult {
  commands: number;
  achievedRate: number;
  commandP50: number;
  commandP99: number;
  visibleP50: number;
  visibleP99: number;
  visibleMax: number;
  errors: number;
  /** CPU time the product's process spent per command and its query, in microseconds. */
  cpuMicros: number;
  load: string;
}

async function main(): Promise<void> {
  const settings: Settings = {
    duration: positiveInteger('BENCH_DURATION', 10),
    rounds: positiveInteger('BENCH_ROUNDS', 3),
    connections: positiveInteger('BENCH_CONNECTIONS', 32),
    workers: positiveInteger('BENCH_WORKERS', 20),
    tasksPerWorker: positiveInteger('BENCH_TASKS_PER_WORKER', 10),
    latencyRate: positiveInteger('BENCH_LATENCY_RATE', 500),
  };
  const startedAt = new Date();
  const server = await openServer();
  const database = `bench_http_${startedAt.getTime()}`;
  let client: JsonClient | null = null;
  try {
    const databaseUrl = await server.createDatabase(database);
    console.log(`HTTP benchmark on ${server.description}; starting the product (the api, and the worker as its child process)...`);
    const product = await startProduct(databaseUrl, {
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_BEAK: JSON.stringify(ADMIN.beak),
      BOOTSTRAP_ADMIN_NAME: 'Bench admin',
    });
    productPid = product.pid;
    console.log(`product pid ${product.pid} at ${product.baseUrl}; its log: ${product.logFile}`);
    try {
      client = new JsonClient(product.baseUrl, 256);
      const { admin, workers } = await seedUsers(client, settings.workers);
      await seedTasks(client, admin, workers, settings.tasksPerWorker);
      const everyone = [admin, ...workers];

      // A short round of each that nobody counts: opens connections, fills caches, lets the JIT settle.
      const warmUp = { ...settings, duration: Math.min(2, settings.duration) };
      await createTasks(product.baseUrl, everyone, warmUp, []);
      await readMyTasks(product.baseUrl, workers, warmUp);
      await readMyAccount(product.baseUrl, workers, warmUp);

      const only = process.env.BENCH_ONLY;
      if (only) {
        // Profiling mode: one scenario, its rounds printed, nothing written.
        const scenarios: Record<string, () => Promise<Round>> = {
          reads: () => readMyTasks(product.baseUrl, workers, settings),
          accounting: () => readMyAccount(product.baseUrl, workers, settings),
          create: () => createTasks(product.baseUrl, everyone, settings, []),
        };
        if (only === 'latency') {
          await commandToReadModel(client, everyone, settings);
          return;
        }
        if (!scenarios[only]) throw new Error(`BENCH_ONLY must be one of ${Object.keys(scenarios).join(', ')}, latency, not "${only}"`);
        await repeat(settings.rounds, only, scenarios[only]);
        return;
      }
      const results: ScenarioResult[] = [];
      // Read rounds come first, while each worker holds BENCH_TASKS_PER_WORKER tasks; the create rounds add thousands.
      const reads = await repeat(settings.rounds, 'GET /tasks/mine', () => readMyTasks(product.baseUrl, workers, settings));
      const accountReads = await repeat(settings.rounds, 'GET /accounting/me', () => readMyAccount(product.baseUrl, workers, settings));
      const created: CreatedTask[] = [];
      const creates = await repeat(settings.rounds, 'POST /tasks', () => createTasks(product.baseUrl, everyone, settings, created));
      const completes = await repeat(1, `POST /tasks/:id/complete (${formatNumber(created.length)} tasks)`, () =>
        completeTasks(product.baseUrl, workers, settings, created),
      );
      results.push(
        judge(`POST /tasks (${settings.connections} connections)`, creates, [
          { label: `≥ ${formatNumber(TARGETS.createPerSecond)}/s`, ok: (r) => r.perSecond >= TARGETS.createPerSecond, miss: (r) => shortBy(r.perSecond, TARGETS.createPerSecond, '/s') },
          { label: `p99 < ${TARGETS.createP99Ms} ms`, ok: (r) => r.p99 < TARGETS.createP99Ms, miss: (r) => overBy(r.p99, TARGETS.createP99Ms, ' ms') },
        ]),
        judge(`POST /tasks/:id/complete (${settings.connections} connections)`, completes, []),
        judge(`GET /tasks/mine (${settings.connections} connections, ${settings.tasksPerWorker} tasks each)`, reads, [
          { label: `≥ ${formatNumber(TARGETS.readsPerSecond)}/s`, ok: (r) => r.perSecond >= TARGETS.readsPerSecond, miss: (r) => shortBy(r.perSecond, TARGETS.readsPerSecond, '/s') },
        ]),
        judge(`GET /accounting/me (${settings.connections} connections)`, accountReads, [
          { label: `≥ ${formatNumber(TARGETS.readsPerSecond)}/s`, ok: (r) => r.perSecond >= TARGETS.readsPerSecond, miss: (r) => shortBy(r.perSecond, TARGETS.readsPerSecond, '/s') },
        ]),
      );
      const latency = await commandToReadModel(client, everyone, settings);
      console.log(`\n${renderConsole(results, latency, settings)}`);
      const file = resultsFile();
      writeBenchmarkSection('http', renderMarkdown(results, latency, settings, startedAt, server.description), file);
      console.log(`\nWrote the http section of ${file}`);
      const errors = results.reduce((sum, result) => sum + result.rounds.reduce((s, r) => s + r.errors, 0), 0) + latency.errors;
      if (errors > 0) {
        console.error(`${errors} requests failed (see ${product.logFile})`);
        process.exitCode = 1;
      }
    } finally {
      client?.close();
      await product.stop();
    }
  } finally {
    await server.dropDatabase(database).catch(() => undefined);
    await server.stop();
  }
}


/** Tasks for the read scenario, then waits until the task board shows them. */
async function seedTasks(client: JsonClient, admin: User, workers: User[], perWorker: number): Promise<void> {
  const count = workers.length * perWorker;
  let last = '';
  await inParallel([...Array(count).keys()], 8, async (i) => {
    const body = await client.expectOk<{ position: string }>('POST', '/tasks', {
      token: admin.token,
      body: { title: `Seeded task ${i}`, description: 'Seeded for the read scenario' },
    });
    if (body.position > last) last = body.position;
  });
  await client.expectOk('GET', `/tasks/mine?after=${encodeURIComponent(last)}`, { token: workers[0].token });
  console.log(`created ${count} tasks for the read scenario`);
}

interface CreatedTask {
  taskId: string;
  assigneeId: string;
}

function createTasks(baseUrl: string, users: User[], settings: Settings, created: CreatedTask[]): Promise<Round> {
  return load(baseUrl, settings, {
    duration: settings.duration,
    requests: createTaskRequests(users, 'bench:http', (task) => created.push(task)) as autocannon.Request[],
  });
}

/** Completes every task in `tasks`, each by its assignee, then empties the list. */
function completeTasks(baseUrl: string, workers: User[], settings: Settings, tasks: CreatedTask[]): Promise<Round> {
  const tokens = new Map(workers.map((worker) => [worker.userId, worker.token]));
  const queue = tasks.splice(0);
  let next = 0;
  return load(baseUrl, settings, {
    amount: queue.length,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const task = queue[next++ % queue.length];
          return { ...request, path: `/tasks/${task.taskId}/complete`, headers: { authorization: `Bearer ${tokens.get(task.assigneeId)}` } };
        },
      },
    ],
  });
}

function readMyTasks(baseUrl: string, workers: User[], settings: Settings): Promise<Round> {
  return readAsWorkers('/tasks/mine', baseUrl, workers, settings);
}

function readMyAccount(baseUrl: string, workers: User[], settings: Settings): Promise<Round> {
  return readAsWorkers('/accounting/me', baseUrl, workers, settings);
}

/** GET `path`, each request as the next worker in turn. */
function readAsWorkers(path: string, baseUrl: string, workers: User[], settings: Settings): Promise<Round> {
  let n = 0;
  return load(baseUrl, settings, {
    duration: settings.duration,
    requests: [
      {
        method: 'GET',
        path,
        setupRequest: (request) => ({ ...request, headers: { authorization: `Bearer ${workers[n++ % workers.length].token}` } }),
      },
    ],
  });
}

async function load(baseUrl: string, settings: Settings, options: Partial<autocannon.Options>): Promise<Round> {
  const cpuBefore = productCpuMs();
  const result = await autocannon({ url: baseUrl, connections: settings.connections, timeout: 10, ...options });
  const requests = result.requests.total;
  return {
    requests,
    perSecond: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuMicros: ((productCpuMs() - cpuBefore) * 1000) / Math.max(1, requests),
    load: formatLoad(),
  };
}

let productPid = 0;

/**
 * CPU time (user + system) the product has used so far (its process and the worker process it
 * started), from /proc: on a shared machine CPU per request moves much less with the neighbours'
 * load than requests per second do. NaN off Linux.
 */
function productCpuMs(): number {
  return processTreeCpuMs(productPid);
}

async function repeat(rounds: number, label: string, run: () => Promise<Round>): Promise<Round[]> {
  const results: Round[] = [];
  for (let round = 1; round <= rounds; round++) {
    const result = await run();
    results.push(result);
    console.log(
      `round ${round}/${rounds} ${label}: ${formatNumber(result.perSecond)}/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
        `${result.errors} errors, product CPU ${formatNumber(result.cpuMicros)} µs/request, load ${result.load}`,
    );
  }
  return results;
}

/**
 * Open loop at `latencyRate` commands per second, whatever the answers' pace: POST /tasks, then
 * at once GET /tasks/:id?after=<position>, which answers when the task board has the task.
 */
async function commandToReadModel(client: JsonClient, users: User[], settings: Settings): Promise<LatencyResult> {
  const total = settings.latencyRate * settings.duration;
  const commandMs: number[] = [];
  const visibleMs: number[] = [];
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const one = async (i: number): Promise<void> => {
    const user = users[i % users.length];
    const sent = performance.now();
    const created = await client.send<{ taskId: string; position: string }>('POST', '/tasks', {
      token: user.token,
      body: { title: `Latency task ${i}`, description: 'Created by bench:http' },
    });
    const answered = performance.now();
    if (created.status !== 201) {
      if (errors++ < 3) console.error(`command to read model: POST /tasks answered ${created.status}`);
      return;
    }
    const read = await client.send('GET', `/tasks/${created.body.taskId}?after=${encodeURIComponent(created.body.position)}`, { token: user.token });
    if (read.status !== 200) {
      if (errors++ < 3) console.error(`command to read model: GET /tasks/:id?after= answered ${read.status}`);
      return;
    }
    commandMs.push(answered - sent);
    visibleMs.push(performance.now() - answered);
  };
  const cpuBefore = productCpuMs();
  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * settings.latencyRate));
    for (; sent < due; sent++) {
      inFlight.push(
        one(sent).catch((error: Error) => {
          if (errors++ < 3) console.error(`command to read model: ${error.message}`);
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const sending = (performance.now() - started) / 1000;
  await Promise.all(inFlight);
  commandMs.sort((a, b) => a - b);
  visibleMs.sort((a, b) => a - b);
  const result: LatencyResult = {
    commands: total,
    achievedRate: total / sending,
    commandP50: percentile(commandMs, 0.5),
    commandP99: percentile(commandMs, 0.99),
    visibleP50: percentile(visibleMs, 0.5),
    visibleP99: percentile(visibleMs, 0.99),
    visibleMax: visibleMs[visibleMs.length - 1] ?? NaN,
    errors,
    cpuMicros: ((productCpuMs() - cpuBefore) * 1000) / total,
    load: formatLoad(),
  };
  console.log(
    `command to read model at ${formatNumber(result.achievedRate)} commands/s: p50 ${ms(result.visibleP50)}, p99 ${ms(result.visibleP99)} ` +
      `(commands: p50 ${ms(result.commandP50)}, p99 ${ms(result.commandP99)}), ${errors} errors, product CPU ${formatNumber(result.cpuMicros)} µs/command, load ${result.load}`,
  );
  return result;
}

interface Target {
  label: string;
  ok: (round: Round) => boolean;
  miss: (round: Round) => string;
}

/** The median round by throughput, and how it stands against the targets. */
function judge(label: string, rounds: Round[], targets: Target[]): ScenarioResult {
  const median = [...rounds].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(rounds.length / 2)];
  const misses = targets.filter((target) => !target.ok(median)).map((target) => `${target.label}: ${target.miss(median)}`);
  return {
    label,
    rounds,
    median,
    target: targets.map((target) => target.label).join(', ') || '—',
    verdict: targets.length === 0 ? '—' : misses.length === 0 ? 'pass' : 'miss',
    misses,
  };
}

function shortBy(value: number, target: number, unit: string): string {
  return `${formatNumber(value)}${unit}, ${Math.round((1 - value / target) * 100)}% short`;
}

function overBy(value: number, target: number, unit: string): string {
  return `${formatNumber(value, 1)}${unit}, ${Math.round((value / target - 1) * 100)}% over`;
}

function ms(value: number): string {
  return `${formatNumber(value, 1)} ms`;
}

const HEADER = ['Scenario', 'Requests/s', 'p50 (ms)', 'p99 (ms)', 'Requests', 'Errors', 'Product CPU (µs/req)', 'Target', 'Result'];
const NUMERIC = [false, true, true, true, true, true, true, false, false];

function rows(results: ScenarioResult[]): string[][] {
  return results.map((result) => [
    result.label,
    formatNumber(result.median.perSecond),
    formatNumber(result.median.p50, 1),
    formatNumber(result.median.p99, 1),
    formatNumber(result.rounds.reduce((sum, r) => sum + r.requests, 0)),
    formatNumber(result.rounds.reduce((sum, r) => sum + r.errors, 0)),
    formatNumber(result.median.cpuMicros),
    result.target,
    result.verdict,
  ]);
}

function latencyRows(latency: LatencyResult, settings: Settings): string[][] {
  const pass = latency.visibleP99 < TARGETS.commandToReadModelP99Ms && latency.errors === 0;
  return [
    [
      `POST /tasks at ${formatNumber(settings.latencyRate)}/s, then GET /tasks/:id?after=`,
      formatNumber(latency.achievedRate),
      formatNumber(latency.visibleP50, 1),
      formatNumber(latency.visibleP99, 1),
      formatNumber(latency.commands),
      formatNumber(latency.errors),
      formatNumber(latency.cpuMicros),
      `p99 < ${TARGETS.commandToReadModelP99Ms} ms`,
      pass ? 'pass' : 'miss',
    ],
  ];
}

function verdicts(results: ScenarioResult[], latency: LatencyResult): string[] {
  const lines = results
    .filter((result) => result.verdict !== '—')
    .map((result) => (result.verdict === 'pass' ? `- pass: ${result.label} (${result.target})` : `- **miss: ${result.label}**: ${result.misses.join('; ')}`));
  lines.push(
    latency.visibleP99 < TARGETS.commandToReadModelP99Ms
      ? `- pass: command to read model (p99 < ${TARGETS.commandToReadModelP99Ms} ms)`
      : `- **miss: command to read model**: p99 < ${TARGETS.commandToReadModelP99Ms} ms: ${overBy(latency.visibleP99, TARGETS.commandToReadModelP99Ms, ' ms')}`,
  );
  return lines;
}

function renderConsole(results: ScenarioResult[], latency: LatencyResult, settings: Settings): string {
  return [
    markdownTable(HEADER, NUMERIC, rows(results)),
    '',
    'Command to read model (p50/p99: from the command’s answer to the read model showing it):',
    markdownTable(HEADER, NUMERIC, latencyRows(latency, settings)),
    '',
    ...verdicts(results, latency),
    `load average ${formatLoad()}`,
  ].join('\n');
}

function renderMarkdown(results: ScenarioResult[], latency: LatencyResult, settings: Settings, startedAt: Date, server: string): string {
  const roundRows = results.map((result) => [
    result.label,
    result.rounds.map((r) => formatNumber(r.perSecond)).join(' / '),
    result.rounds.map((r) => `${r.p50}/${r.p99}`).join(' / '),
    result.rounds.map((r) => r.load.split(', ')[0]).join(' / '),
  ]);
  return `## HTTP: \`npm run bench:http\`

The product (\`dist/apps/main.js\`, as \`npm start\` runs it: the api, and the worker as its child process) in a
process of its own on a fresh database, driven through HTTP by autocannon from the benchmark's
process on the same 2-core machine: the load generator competes with the product and PostgreSQL
for the CPU. Users log in once before the load; every request carries a worker's or the admin's
token. Non-2xx answers count as errors. Written by \`npm run bench:http\` (bench/http.bench.ts).

Each load scenario ran ${settings.rounds} round(s) of ${settings.duration} s with ${settings.connections} connections (the
completion scenario once, over every task the create rounds made); the table shows the median
round by throughput. ${settings.workers} workers; the reads ran while each held ${settings.tasksPerWorker} tasks.

${markdownTable(HEADER, NUMERIC, rows(results))}

Command to read model: POST /tasks sent at a steady ${formatNumber(settings.latencyRate)} per second (open loop), each
answer followed at once by GET /tasks/:id?after=<position>; p50/p99 are from the command's
answer to the query's answer (the query's own round trip included). Command latency at that
rate: p50 ${ms(latency.commandP50)}, p99 ${ms(latency.commandP99)}; slowest visibility ${ms(latency.visibleMax)}.

${markdownTable(HEADER, NUMERIC, latencyRows(latency, settings))}

### Targets

${verdicts(results, latency).join('\n')}

### Every round

| Scenario | Requests/s by round | p50/p99 ms by round | 1-min load average after each round |
|---|---|---|---|
${roundRows.map((row) => `| ${row.join(' | ')} |`).join('\n')}

### Machine

${machineLines(startedAt, server).join('\n')}

### Command

\`\`\`sh
${commandLine('bench:http', ['BENCH_DURATION', 'BENCH_ROUNDS', 'BENCH_CONNECTIONS', 'BENCH_WORKERS', 'BENCH_TASKS_PER_WORKER', 'BENCH_LATENCY_RATE', 'LOG_LEVEL', 'BEAK_HASH_COST', 'EVENT_STORE_POOL_SIZE', 'READ_MODEL_POOL_SIZE', 'PROJECTION_BATCH_SIZE', 'PROJECTION_LIVE_BATCH_MS'])}
\`\`\`

${findings('http')}
`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
