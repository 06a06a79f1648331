/**
 * `npm run bench:cluster`: `npm start` with API_PROCESSES=2 and WORKER_PROCESSES=2 against the
 * same `npm start` with one of each, on one PostgreSQL (DATABASE_URL's server, or an embedded one),
 * each on a fresh database, driven through HTTP by autocannon from this process: POST /tasks and
 * GET /tasks/mine, in interleaved rounds (one contender, then the other, each round), then the
 * time from a command's answer to its task on the board at a fixed rate. Prints the numbers and
 * rewrites the `cluster` section of BENCHMARKS.md (BENCH_RESULTS_FILE: another file).
 *
 * Settings (environment):
 * - BENCH_DURATION          seconds of each autocannon run (default 10)
 * - BENCH_ROUNDS            rounds of each load per contender (default 2)
 * - BENCH_CONNECTIONS       concurrent connections of the load generator (default 32)
 * - BENCH_WORKERS           workers registered, whose tokens the load uses in turn (default 20)
 * - BENCH_LATENCY_RATE      commands per second of the command-to-read-model run (default 40: below what two cores sustain, so it measures latency, not a queue)
 * - EVENT_STORE_POOL_SIZE, READ_MODEL_POOL_SIZE   each process's pools (default 8 and 4 here, so four
 *   processes and two products fit in a server's 100 connections)
 */
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { formatLoad, formatNumber, markdownTable, percentile, positiveInteger, resultsFile, sectionEnd } from './bench-env';
import { writeBenchmarkSection } from './benchmarks-file';
import { type BenchUser, createTaskRequests, JsonClient, seedBenchUsers } from './http-client';
import { freePort, processTreeCpuMs, type RunningProduct, startBenchProduct } from './product-process';
import { openServer } from './server';

const METRICS_TOKEN = 'bench-cluster';

interface Settings {
  duration: number;
  rounds: number;
  connections: number;
  workers: number;
  latencyRate: number;
}

interface Contender {
  label: string;
  env: NodeJS.ProcessEnv;
  product: RunningProduct;
  client: JsonClient;
  admin: BenchUser;
  workers: BenchUser[];
}

interface Round {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU of every process of the product (the primary, its api and worker processes) per request, the reactions' catch-up included. */
  cpuMicros: number;
  /** The same, by role: the api processes (with one, the process started, which is also the primary), the workers. */
  apiMicros: number;
  workerMicros: number;
}

interface Latency {
  rate: number;
  visibleP50: number;
  visibleP99: number;
  commandP50: number;
  errors: number;
}

const CONTENDERS = [
  { label: '1 api + 1 worker', env: { API_PROCESSES: '1', WORKER_PROCESSES: '1' } },
  { label: '2 api + 2 workers', env: { API_PROCESSES: '2', WORKER_PROCESSES: '2' } },
];

async function main(): Promise<void> {
  const settings: Settings = {
    duration: positiveInteger('BENCH_DURATION', 10),
    rounds: positiveInteger('BENCH_ROUNDS', 2),
    connections: positiveInteger('BENCH_CONNECTIONS', 32),
    workers: positiveInteger('BENCH_WORKERS', 20),
    latencyRate: positiveInteger('BENCH_LATENCY_RATE', 40),
  };
  const startedAt = new Date();
  const server = await openServer();
  const databases: string[] = [];
  const contenders: Contender[] = [];
  try {
    for (const [i, { label, env }] of CONTENDERS.entries()) {
      const name = `bench_cluster_${Date.now()}_${i}`;
      const url = await server.createDatabase(name);
      databases.push(name);
      // A port of its own, so each product writes its own log file (product-<port>.log).
      const settingsOfIts = {
        ...env,
        WORKER_PORT: '0',
        METRICS_TOKEN,
        EVENT_STORE_POOL_SIZE: process.env.EVENT_STORE_POOL_SIZE || '8',
        READ_MODEL_POOL_SIZE: process.env.READ_MODEL_POOL_SIZE || '4',
      };
      const product = await startBenchProduct(url, settingsOfIts, { port: await freePort() });
      const client = new JsonClient(product.baseUrl);
      const { admin, workers } = await seedBenchUsers(client, settings.workers);
      contenders.push({ label, env, product, client, admin, workers });
    }
    // The tasks context learns of the workers from the users projection: a task can be created once it has.
    for (const contender of contenders) await caughtUp(contender);

    const scenarios = [
      { label: `POST /tasks (${settings.connections} connections)`, run: createTasks },
      { label: `GET /tasks/mine (${settings.connections} connections)`, run: readMine },
    ];
    const results = new Map<string, Map<Contender, Round[]>>(scenarios.map((s) => [s.label, new Map(contenders.map((c) => [c, []]))]));
    // Warm-up (connections, the JIT), not counted.
    for (const contender of contenders) for (const scenario of scenarios) await scenario.run(contender, { ...settings, duration: 2 });
    for (let round = 1; round <= settings.rounds; round++) {
      for (const scenario of scenarios) {
        for (const contender of contenders) {
          const result = await scenario.run(contender, settings);
          results.get(scenario.label)!.get(contender)!.push(result);
          console.log(
            `round ${round}/${settings.rounds} ${scenario.label}, ${contender.label}: ${formatNumber(result.perSecond)}/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
              `${result.errors} errors, CPU ${formatNumber(result.cpuMicros)} µs/request (api ${formatNumber(result.apiMicros)}, workers ${formatNumber(result.workerMicros)}), load ${formatLoad()}`,
          );
        }
      }
    }
    const latencies = new Map<Contender, Latency>();
    for (const contender of contenders) {
      const latency = await commandToReadModel(contender, settings);
      latencies.set(contender, latency);
      console.log(
        `${contender.label}: command to read model at ${formatNumber(latency.rate)}/s: p50 ${formatNumber(latency.visibleP50, 1)} ms, p99 ${formatNumber(latency.visibleP99, 1)} ms, ${latency.errors} errors`,
      );
    }
    const split = new Map<Contender, string>();
    for (const contender of contenders) split.set(contender, await requestsByProcess(contender));
    for (const contender of contenders) {
      await contender.product.stop();
      contender.client.close();
    }
    writeBenchmarkSection('cluster', render(settings, scenarios.map((s) => s.label), results, latencies, split, startedAt, server.description), resultsFile());
    console.log(`wrote the cluster section of ${resultsFile()}`);
  } finally {
    for (const contender of contenders) await contender.product.stop().catch(() => undefined);
    for (const name of databases) await server.dropDatabase(name).catch(() => undefined);
    await server.stop();
  }
}

function createTasks(contender: Contender, settings: Settings): Promise<Round> {
  return load(contender, settings, { requests: createTaskRequests([contender.admin, ...contender.workers], 'bench:cluster', () => undefined) as autocannon.Request[] });
}

function readMine(contender: Contender, settings: Settings): Promise<Round> {
  let n = 0;
  return load(contender, settings, {
    requests: [
      {
        method: 'GET',
        path: '/tasks/mine?status=open',
        setupRequest: (request) => ({ ...request, headers: { authorization: `Bearer ${contender.workers[n++ % contender.workers.length].token}` } }),
      },
    ],
  });
}

/** One autocannon run; the CPU is read once the reactions the run set off have caught up. */
async function load(contender: Contender, settings: Settings, options: Partial<autocannon.Options>): Promise<Round> {
  const cpuBefore = processTreeCpuMs(contender.product.pid);
  const rolesBefore = cpuByRole(contender.product.pid);
  const result = await autocannon({ url: contender.product.baseUrl, connections: settings.connections, duration: settings.duration, timeout: 10, ...options });
  await caughtUp(contender);
  const requests = result.requests.total;
  const roles = cpuByRole(contender.product.pid);
  const perRequest = (ms: number) => (ms * 1000) / Math.max(1, requests);
  return {
    requests,
    perSecond: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuMicros: perRequest(processTreeCpuMs(contender.product.pid) - cpuBefore),
    apiMicros: perRequest(roles.api - rolesBefore.api),
    workerMicros: perRequest(roles.worker - rolesBefore.worker),
  };
}

/**
 * CPU ms so far of the product's api processes and of its workers, from /proc: the process started
 * and its children, told apart by their entry point (with API_PROCESSES=1 the process started is
 * the api). A process restarted meanwhile would count from zero; none is, in a run.
 */
function cpuByRole(pid: number): { api: number; worker: number } {
  const ticks = (of: string) => {
    const fields = readFileSync(`/proc/${of}/stat`, 'utf8').split(') ')[1].split(' ');
    return { parent: Number(fields[1]), ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 };
  };
  const totals = { api: 0, worker: 0 };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = ticks(entry);
      if (Number(entry) !== pid && stat.parent !== pid) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (command.includes('worker/main.js')) totals.worker += stat.ms;
      else if (command.includes('api/main.js') || Number(entry) === pid) totals.api += stat.ms;
    } catch {
      // It ended meanwhile.
    }
  }
  return totals;
}

/** Waits until no process manager and no projection has an event left to handle. */
async function caughtUp(contender: Contender): Promise<void> {
  const deadline = Date.now() + 120_000;
  const lag = async (path: string) => {
    const response = await contender.client.send<Array<{ lagEvents: number }>>('GET', path, { token: contender.admin.token });
    return response.status === 200 ? response.body.reduce((sum, row) => sum + row.lagEvents, 0) : Infinity;
  };
  // Process managers first: once they are done, the events they wrote are in the projections' lag.
  while ((await lag('/process-managers')) + (await lag('/projections')) > 0) {
    if (Date.now() > deadline) throw new Error(`${contender.label}: the reactions did not catch up within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Open loop at `latencyRate` commands a second for `duration` s: POST /tasks, then GET /tasks/:id?after=<position>, answered once the board has it. */
async function commandToReadModel(contender: Contender, settings: Settings): Promise<Latency> {
  const users = [contender.admin, ...contender.workers];
  const total = settings.latencyRate * settings.duration;
  const commandMs: number[] = [];
  const visibleMs: number[] = [];
  let errors = 0;
  const one = async (i: number) => {
    const user = users[i % users.length];
    const sent = performance.now();
    const created = await contender.client.send<{ taskId: string; position: string }>('POST', '/tasks', { token: user.token, body: { title: `Latency ${i}`, description: 'bench:cluster' } });
    const answered = performance.now();
    if (created.status !== 201) return void errors++;
    const read = await contender.client.send('GET', `/tasks/${created.body.taskId}?after=${encodeURIComponent(created.body.position)}`, { token: user.token });
    if (read.status !== 200) return void errors++;
    commandMs.push(answered - sent);
    visibleMs.push(performance.now() - answered);
  };
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let sent = 0; sent < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * settings.latencyRate));
    for (; sent < due; sent++) inFlight.push(one(sent).catch(() => void errors++));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const sending = (performance.now() - started) / 1000;
  await Promise.all(inFlight);
  await caughtUp(contender);
  commandMs.sort((a, b) => a - b);
  visibleMs.sort((a, b) => a - b);
  return { rate: total / sending, visibleP50: percentile(visibleMs, 0.5), visibleP99: percentile(visibleMs, 0.99), commandP50: percentile(commandMs, 0.5), errors };
}

/** How the requests of the whole run split between the api processes, from the `request` lines of the product's log. */
async function requestsByProcess(contender: Contender): Promise<string> {
  const counts = new Map<string, number>();
  const lines = createInterface({ input: createReadStream(contender.product.logFile) });
  for await (const line of lines) {
    if (!line.includes('"msg":"request"')) continue;
    const pid = /"pid":(\d+)/.exec(line)?.[1];
    if (pid) counts.set(pid, (counts.get(pid) ?? 0) + 1);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return [...counts.values()]
    .sort((a, b) => b - a)
    .map((count) => `${formatNumber((100 * count) / Math.max(1, total))} %`)
    .join(' / ');
}

/** The median round by throughput. */
function median(rounds: Round[]): Round {
  return [...rounds].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(rounds.length / 2)];
}

function render(
  settings: Settings,
  scenarios: string[],
  results: Map<string, Map<Contender, Round[]>>,
  latencies: Map<Contender, Latency>,
  split: Map<Contender, string>,
  startedAt: Date,
  server: string,
): string {
  const rows: string[][] = [];
  for (const scenario of scenarios) {
    for (const [contender, rounds] of results.get(scenario)!) {
      const m = median(rounds);
      rows.push([
        scenario,
        contender.label,
        formatNumber(m.perSecond),
        rounds.map((round) => formatNumber(round.perSecond)).join(', '),
        String(m.p50),
        String(m.p99),
        formatNumber(m.cpuMicros),
        formatNumber(m.apiMicros),
        formatNumber(m.workerMicros),
        String(rounds.reduce((sum, round) => sum + round.errors, 0)),
      ]);
    }
  }
  const loadTable = markdownTable(
    ['Load', 'Product', 'Requests/s (median)', 'Rounds', 'p50 ms', 'p99 ms', 'CPU µs/request', 'of it api', 'of it workers', 'Errors'],
    [false, false, true, false, true, true, true, true, true, true],
    rows,
  );
  const latencyTable = markdownTable(
    ['Product', 'Commands/s', 'Answer to board p50 ms', 'p99 ms', 'Command p50 ms', 'Errors', 'Requests per api process'],
    [false, true, true, true, true, true, false],
    [...latencies].map(([contender, latency]) => [
      contender.label,
      formatNumber(latency.rate),
      formatNumber(latency.visibleP50, 1),
      formatNumber(latency.visibleP99, 1),
      formatNumber(latency.commandP50, 1),
      String(latency.errors),
      split.get(contender) ?? '',
    ]),
  );
  return `## Several processes (bench:cluster)

\`npm start\` with API_PROCESSES=2 and WORKER_PROCESSES=2 against \`npm start\` with one of each, on
one PostgreSQL, each on a fresh database, with the same load from autocannon in this process:
${settings.rounds} interleaved rounds of ${settings.duration} s per load and product (the median
shown), after a warm-up. CPU is that of every process of the product (the primary, its api and
worker processes) per request, read once the projections and process managers have caught up with
what the round wrote, and split into the api processes' (with one, the process started, which is
also the primary; with two, the primary counts in the total only) and the workers'. Each process's pools: EVENT_STORE_POOL_SIZE=${process.env.EVENT_STORE_POOL_SIZE || 8},
READ_MODEL_POOL_SIZE=${process.env.READ_MODEL_POOL_SIZE || 4}.

${loadTable}

Command to read model: POST /tasks at a fixed rate (${settings.latencyRate}/s for ${settings.duration} s), then at once
GET /tasks/:id?after=<position>; the time from the command's answer to the board's. The last column is
how the whole run's requests split between the api processes (the kernel hands out the connections).

${latencyTable}

${sectionEnd({
  id: 'cluster',
  script: 'bench:cluster',
  settings: ['BENCH_DURATION', 'BENCH_ROUNDS', 'BENCH_CONNECTIONS', 'BENCH_WORKERS', 'BENCH_LATENCY_RATE', 'EVENT_STORE_POOL_SIZE', 'READ_MODEL_POOL_SIZE', 'BENCH_PG_PORT'],
  goals: ['- Two api processes and two workers answer the same load as one of each, with nothing lost, and say what bounds any gain.'],
  startedAt,
  server,
})}`;
}


main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
