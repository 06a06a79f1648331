/**
 * `npm run bench:http-adapters`: the same build on Express and on Fastify (HTTP_ADAPTER), side by
 * side in one run. Starts two products from this checkout's dist, each on a fresh database, seeds
 * both as bench:http does (an admin, workers, tasks), then runs each load scenario's rounds
 * alternating between them (which one goes first alternates too), so a neighbour's load on the
 * shared machine falls on both alike. Each round records requests/s, p50/p99, the product's CPU per
 * request (api and worker, from /proc) and the 1-minute load average after it. Prints a table and
 * rewrites the `http-adapters` section of BENCHMARKS.md.
 *
 * Environment (all optional): DATABASE_URL, BENCH_DURATION (10), BENCH_ROUNDS (3),
 * BENCH_CONNECTIONS (32), BENCH_WORKERS (20), BENCH_TASKS_PER_WORKER (10), BENCH_RESULTS_FILE, and
 * BENCH_ADAPTERS ("express,fastify"; one name alone runs that adapter only, for profiling with
 * BENCH_PRODUCT_NODE_OPTIONS="--cpu-prof ..."), BENCH_ONLY ("GET /tasks/mine": only the scenarios whose
 * label starts with it; nothing is written). Two products on one PostgreSQL need twice the
 * connections: EVENT_STORE_POOL_SIZE=10 READ_MODEL_POOL_SIZE=5 keeps them under max_connections 100.
 */
import autocannon from 'autocannon';
import { writeBenchmarkSection } from './benchmarks-file';
import { commandLine, findings, formatLoad, formatNumber, machineLines, markdownTable, positiveInteger, resultsFile } from './bench-env';
import { type BenchUser, createTaskRequests, inParallel, JsonClient, seedBenchUsers } from './http-client';
import { freePort, processTreeCpuMs, type RunningProduct, startBenchProduct } from './product-process';
import { openServer } from './server';

interface Settings {
  duration: number;
  rounds: number;
  connections: number;
  workers: number;
  tasksPerWorker: number;
}

interface Round {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  cpuMicros: number;
  load: string;
}

interface Contender {
  adapter: string;
  product: RunningProduct;
  admin: BenchUser;
  workers: BenchUser[];
  created: Array<{ taskId: string; assigneeId: string }>;
  rounds: Map<string, Round[]>;
}

type Scenario = { label: string; run: (contender: Contender, settings: Settings) => Promise<Round> };

const SCENARIOS: Scenario[] = [
  { label: 'GET /tasks/mine', run: (c, s) => readAsWorkers('/tasks/mine', c, s) },
  { label: 'GET /accounting/me', run: (c, s) => readAsWorkers('/accounting/me', c, s) },
  {
    label: 'POST /tasks',
    run: (c, s) => load(c, s, { duration: s.duration, requests: createTaskRequests([c.admin, ...c.workers], 'bench:http-adapters', (task) => c.created.push(task)) as autocannon.Request[] }),
  },
];

async function main(): Promise<void> {
  const settings: Settings = {
    duration: positiveInteger('BENCH_DURATION', 10),
    rounds: positiveInteger('BENCH_ROUNDS', 3),
    connections: positiveInteger('BENCH_CONNECTIONS', 32),
    workers: positiveInteger('BENCH_WORKERS', 20),
    tasksPerWorker: positiveInteger('BENCH_TASKS_PER_WORKER', 10),
  };
  const adapters = (process.env.BENCH_ADAPTERS ?? 'express,fastify').split(',');
  const startedAt = new Date();
  const server = await openServer();
  const databases = adapters.map((adapter) => `bench_adapters_${startedAt.getTime()}_${adapter}`);
  const contenders: Contender[] = [];
  try {
    for (const [i, adapter] of adapters.entries()) {
      const databaseUrl = await server.createDatabase(databases[i]);
      // Each product's log to a file of its own (product-<port>.log); each worker on a free port of its own.
      const product = await startBenchProduct(databaseUrl, { HTTP_ADAPTER: adapter, WORKER_PORT: '0' }, { port: await freePort() });
      const client = new JsonClient(product.baseUrl, 256);
      const contender: Contender = { adapter, product, admin: undefined as never, workers: [], created: [], rounds: new Map() };
      contenders.push(contender);
      try {
        const { admin, workers } = await seedBenchUsers(client, settings.workers);
        Object.assign(contender, { admin, workers });
        await seedTasks(client, admin, workers, settings.tasksPerWorker);
        // The scenarios bench:http checks besides: a command answers in the read model, a task completes.
        const task = await client.expectOk<{ taskId: string; position: string }>('POST', '/tasks', { token: admin.token, body: { title: 'Check', description: 'Seen at once' } });
        const seen = await client.expectOk<{ assigneeId: string }>('GET', `/tasks/${task.taskId}?after=${encodeURIComponent(task.position)}`, { token: admin.token });
        const assignee = workers.find((worker) => worker.userId === seen.assigneeId);
        if (assignee) await client.expectOk('POST', `/tasks/${task.taskId}/complete`, { token: assignee.token });
      } finally {
        client.close();
      }
      console.log(`${adapter}: seeded ${settings.workers} workers and ${settings.workers * settings.tasksPerWorker} tasks`);
    }
    const warmUp = { ...settings, duration: Math.min(2, settings.duration) };
    for (const contender of contenders) for (const scenario of SCENARIOS) await scenario.run(contender, warmUp);
    // BENCH_ONLY: the scenarios whose label starts with it (a profile of one).
    const scenarios = SCENARIOS.filter((scenario) => scenario.label.startsWith(process.env.BENCH_ONLY ?? ''));
    for (const scenario of scenarios) {
      for (let round = 1; round <= settings.rounds; round++) {
        const order = round % 2 === 1 ? contenders : [...contenders].reverse();
        for (const contender of order) {
          const result = await scenario.run(contender, settings);
          const rounds = contender.rounds.get(scenario.label) ?? [];
          rounds.push(result);
          contender.rounds.set(scenario.label, rounds);
          console.log(
            `round ${round}/${settings.rounds} ${scenario.label} on ${contender.adapter}: ${formatNumber(result.perSecond)}/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
              `${result.errors} errors, product CPU ${formatNumber(result.cpuMicros)} µs/request, load ${result.load}`,
          );
        }
      }
    }
    const markdown = render(contenders, settings, startedAt, server.description);
    console.log(`\n${markdown}`);
    if (adapters.length > 1 && scenarios.length === SCENARIOS.length) {
      const file = resultsFile();
      writeBenchmarkSection('http-adapters', markdown, file);
      console.log(`\nWrote the http-adapters section of ${file}`);
    }
    const errors = contenders.reduce((sum, c) => sum + [...c.rounds.values()].flat().reduce((s, r) => s + r.errors, 0), 0);
    if (errors > 0) {
      console.error(`${errors} requests failed`);
      process.exitCode = 1;
    }
  } finally {
    for (const contender of contenders) await contender.product.stop();
    for (const database of databases) await server.dropDatabase(database).catch(() => undefined);
    await server.stop();
  }
}

async function seedTasks(client: JsonClient, admin: BenchUser, workers: BenchUser[], perWorker: number): Promise<void> {
  let last = '';
  await inParallel([...Array(workers.length * perWorker).keys()], 8, async (i) => {
    const body = await client.expectOk<{ position: string }>('POST', '/tasks', { token: admin.token, body: { title: `Seeded task ${i}`, description: 'Seeded for the read scenario' } });
    if (body.position > last) last = body.position;
  });
  await client.expectOk('GET', `/tasks/mine?after=${encodeURIComponent(last)}`, { token: workers[0].token });
}

/** GET `path`, each request as the next worker in turn. */
function readAsWorkers(path: string, contender: Contender, settings: Settings): Promise<Round> {
  let n = 0;
  const { workers } = contender;
  return load(contender, settings, {
    duration: settings.duration,
    requests: [{ method: 'GET', path, setupRequest: (request) => ({ ...request, headers: { authorization: `Bearer ${workers[n++ % workers.length].token}` } }) }],
  });
}

async function load(contender: Contender, settings: Settings, options: Partial<autocannon.Options>): Promise<Round> {
  const cpuBefore = processTreeCpuMs(contender.product.pid);
  const result = await autocannon({ url: contender.product.baseUrl, connections: settings.connections, timeout: 10, ...options });
  const requests = result.requests.total;
  return {
    requests,
    perSecond: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuMicros: ((processTreeCpuMs(contender.product.pid) - cpuBefore) * 1000) / Math.max(1, requests),
    load: formatLoad(),
  };
}

function median(rounds: readonly Round[], of: (round: Round) => number): number {
  const sorted = rounds.map(of).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function render(contenders: Contender[], settings: Settings, startedAt: Date, server: string): string {
  const header = ['Scenario', 'Adapter', 'Requests/s', 'p50 (ms)', 'p99 (ms)', 'Product CPU (µs/req)', 'Errors'];
  const ran = SCENARIOS.filter((scenario) => contenders.some((c) => c.rounds.has(scenario.label)));
  const rows = ran.flatMap((scenario) =>
    contenders.map((c) => {
      const rounds = c.rounds.get(scenario.label) ?? [];
      return [
        scenario.label,
        c.adapter,
        formatNumber(median(rounds, (r) => r.perSecond)),
        formatNumber(median(rounds, (r) => r.p50), 1),
        formatNumber(median(rounds, (r) => r.p99), 1),
        formatNumber(median(rounds, (r) => r.cpuMicros)),
        formatNumber(rounds.reduce((sum, r) => sum + r.errors, 0)),
      ];
    }),
  );
  const every = ran.flatMap((scenario) =>
    contenders.map((c) => {
      const rounds = c.rounds.get(scenario.label) ?? [];
      return `| ${scenario.label} | ${c.adapter} | ${rounds.map((r) => formatNumber(r.perSecond)).join(' / ')} | ${rounds.map((r) => `${r.p50}/${r.p99}`).join(' / ')} | ${rounds.map((r) => formatNumber(r.cpuMicros)).join(' / ')} | ${rounds.map((r) => r.load.split(', ')[0]).join(' / ')} |`;
    }),
  );
  return `## HTTP adapters: \`npm run bench:http-adapters\`

The same build (\`dist/apps/main.js\`) twice, once with HTTP_ADAPTER=express and once with
HTTP_ADAPTER=fastify, each on a fresh database, both running through the whole run; the load
scenarios of bench:http, their ${settings.rounds} rounds of ${settings.duration} s (${settings.connections} connections) alternating between
the two (which goes first alternates too). ${settings.workers} workers, ${settings.tasksPerWorker} tasks each for the reads. Medians of the
rounds; product CPU is the api's and the worker's, from /proc. Written by bench/http-adapters.bench.ts.

${markdownTable(header, [false, false, true, true, true, true, true], rows)}

### Every round

| Scenario | Adapter | Requests/s by round | p50/p99 ms by round | CPU µs/req by round | 1-min load average after each round |
|---|---|---|---|---|---|
${every.join('\n')}

### Machine

${machineLines(startedAt, server).join('\n')}

### Command

\`\`\`sh
${commandLine('bench:http-adapters', ['BENCH_DURATION', 'BENCH_ROUNDS', 'BENCH_CONNECTIONS', 'BENCH_WORKERS', 'BENCH_TASKS_PER_WORKER', 'LOG_LEVEL', 'EVENT_STORE_POOL_SIZE', 'READ_MODEL_POOL_SIZE'])}
\`\`\`

${findings('http-adapters')}
`;
}


main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
