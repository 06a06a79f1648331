/**
 * `npm run bench:http`: the whole path, through HTTP. Starts the product (dist/apps/main.js: the api,
 * which starts the worker as its child process) as a process of its own on a fresh database, seeds an admin (through
 * BOOTSTRAP_ADMIN_*) and workers (through the API), logs everyone in once, and drives it with
 * autocannon from this process. Prints a table and rewrites the `http` section of BENCHMARKS.md.
 *
 * BENCH_PRODUCTS names the builds to compare, "label=checkout" separated by commas (default: this
 * checkout, labelled "now"); each runs on a database of its own, all at once, and the rounds of a
 * scenario alternate between them (round 1 of each, then round 2 of each, ...), so each meets the
 * same neighbours' load. Beside them runs the Emmett peer (bench/emmett-tasks-server.ts): task
 * creation and "my open tasks" built on @event-driven-io/emmett-postgresql with an inline pongo
 * projection, in a process of its own on the same server, driven by the same load.
 *
 * The headline is CPU per request: the user + system time, from /proc, of the product's processes
 * (the api and the worker it starts) or of the peer's process, over a round, divided by the
 * requests the round answered. A command's cost includes the reactions it sets off: after a round of
 * commands the benchmark polls GET /process-managers and GET /projections (as the admin, every
 * 50 ms) until every process manager and projection has caught up with the log, and only then reads
 * the CPU counter; that wait's own few requests are in the figure. Requests/s count the load's
 * duration only. Goals: ≤ 200 µs per read, ≤ 1,000 µs per task creation.
 *
 * Scenarios (every non-2xx answer counts as an error; a run with errors exits with code 1):
 * - reads, while each worker holds BENCH_TASKS_PER_WORKER tasks: GET /tasks/mine?status=open (also
 *   the peer), GET /accounting/me and GET /auth/me, each as the workers in turn;
 * - read after create: BENCH_READ_AFTER_CREATE creates one after another, each followed at once by
 *   the assignee's list of open tasks (ours with ?after=<position>, as our clients send it; the
 *   peer's plain): the share of lists that showed the new task;
 * - create: POST /tasks (also the peer: a random worker as the assignee, as ours draws one);
 * - complete: POST /tasks/:id/complete by the assignee, for every task the create rounds made;
 * - analytics: GET /analytics/most-expensive-task?period=day as the admin, once tasks were completed;
 * - command to read model: POST /tasks at a steady BENCH_LATENCY_RATE per second, each followed at
 *   once by GET /tasks/:id?after=<position>: the time from the command's answer to that query's
 *   answer is how long the command took to become visible in the read model.
 *
 * Environment (all optional):
 * - DATABASE_URL          server to use; the benchmark creates bench_http_<ts>_<label> there for each
 *                         build and the peer and drops them at the end. Unset: an embedded PostgreSQL
 *                         under .data/bench-postgres.
 * - BENCH_PRODUCTS        builds to run, e.g. "before=/tmp/before,now=.,fastify=.;HTTP_ADAPTER=fastify" (default "now=<this checkout>"):
 *                         label=checkout, then any settings of that build's own as ;NAME=value
 * - BENCH_DURATION        seconds per round of each load scenario (default 10)
 * - BENCH_ROUNDS          rounds of each load scenario; the table shows the median (default 3)
 * - BENCH_CONNECTIONS     concurrent connections of the load generator (default 32)
 * - BENCH_WORKERS         workers registered through the API (default 20)
 * - BENCH_TASKS_PER_WORKER tasks each worker holds when the reads run (default 10)
 * - BENCH_READ_AFTER_CREATE creates of the read-after-create check, per build and peer (default 200)
 * - BENCH_LATENCY_RATE    commands per second of the command-to-read-model scenario (default 500)
 * - BENCH_PRODUCT_NODE_OPTIONS node flags for the product process, e.g. "--cpu-prof"
 * - BENCH_ONLY            one of the load scenarios' ids (reads, accounting, identity, create,
 *                         analytics) or "latency": run only that, print its rounds, write nothing
 * - BENCH_PRODUCT_PORT    the product's port, with one build only (default: a free one)
 * - BENCH_RESULTS_FILE    write the section there instead of BENCHMARKS.md
 * - the product's own settings (LOG_LEVEL, BEAK_HASH_COST, pool sizes, ...) pass through to it.
 */
import { randomUUID } from 'node:crypto';
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
import { startEmmettPeer } from './emmett-peer';
import { BENCH_ADMIN, type BenchUser, createTaskRequests, inParallel, JsonClient, seedBenchUsers } from './http-client';
import { freePort, processTreeCpuMs, type ProductBuild, productBuilds, type RunningProduct, startProduct } from './product-process';
import { type BenchServer, openServer, postgresCpuMeter } from './server';

const ADMIN = BENCH_ADMIN;

const TARGETS = {
  createPerSecond: 1500,
  createP99Ms: 50,
  readsPerSecond: 5000,
  commandToReadModelP99Ms: 50,
};

/** Product CPU per request (api + worker), in µs: a read, and a task creation with every reaction it sets off. */
const CPU_GOALS = { read: 200, create: 1000 };

const PEER = 'Emmett';

/** The list both sides serve: the caller's open tasks. */
const MY_OPEN_TASKS = '/tasks/mine?status=open';

interface Settings {
  duration: number;
  rounds: number;
  connections: number;
  workers: number;
  tasksPerWorker: number;
  readAfterCreate: number;
  latencyRate: number;
}

type User = BenchUser;

type Build = ProductBuild;

/** A build of the product, or the Emmett peer, running and seeded, with the users it knows. */
interface Contender {
  label: string;
  kind: 'product' | 'peer';
  /** The build's commit, or what the peer runs. */
  description: string;
  process: RunningProduct;
  /** CPU time its database's PostgreSQL backends have used so far, in ms. */
  postgresCpuMs: () => Promise<number>;
  client: JsonClient;
  admin: User;
  workers: User[];
  /** Tasks the create rounds made, for the completion scenario. */
  created: CreatedTask[];
}

/** One round of one load scenario on one contender. */
interface Round {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
  /** CPU time the contender's processes spent per request (user + system), in microseconds, reactions included. */
  cpuMicros: number;
  /** CPU time its PostgreSQL backends spent per request, in microseconds, reactions included. */
  postgresMicros: number;
  /** How long after the load the reactions had caught up (0 when nothing was waited for). */
  settleMs: number;
  load: string;
}

interface Target {
  label: string;
  ok: (round: Round) => boolean;
  miss: (round: Round) => string;
}

/** A load scenario: which contenders serve it, how one round runs, and what our builds are held to. */
interface LoadScenario {
  id: string;
  label: string;
  peer: boolean;
  rounds: number;
  /** Warm-up rounds, opening connections and letting the JIT settle, are not counted. */
  warmUp: boolean;
  cpuGoal?: number;
  targets: Target[];
  run(contender: Contender, settings: Settings): Promise<Round>;
}

interface ScenarioResult {
  label: string;
  contender: Contender;
  rounds: Round[];
  median: Round;
  target: string;
  /** The CPU goal's cell: the goal and how the median round stands against it. */
  cpuGoal: string;
  /** Every goal and target it is held to. */
  goals: string[];
  verdict: 'pass' | 'miss' | '—';
  misses: string[];
}

interface LatencyResult {
  contender: Contender;
  commands: number;
  achievedRate: number;
  commandP50: number;
  commandP99: number;
  visibleP50: number;
  visibleP99: number;
  visibleMax: number;
  errors: number;
  /** CPU time the product's processes spent per command and its query, in microseconds. */
  cpuMicros: number;
  /** CPU time its PostgreSQL backends spent per command and its query, in microseconds. */
  postgresMicros: number;
  load: string;
}

interface ReadAfterCreate {
  contender: Contender;
  creates: number;
  shown: number;
  errors: number;
}

async function main(): Promise<void> {
  const settings: Settings = {
    duration: positiveInteger('BENCH_DURATION', 10),
    rounds: positiveInteger('BENCH_ROUNDS', 3),
    connections: positiveInteger('BENCH_CONNECTIONS', 32),
    workers: positiveInteger('BENCH_WORKERS', 20),
    tasksPerWorker: positiveInteger('BENCH_TASKS_PER_WORKER', 10),
    readAfterCreate: positiveInteger('BENCH_READ_AFTER_CREATE', 200),
    latencyRate: positiveInteger('BENCH_LATENCY_RATE', 500),
  };
  const builds = productBuilds();
  if (builds.length > 1 && process.env.BENCH_PRODUCT_PORT) throw new Error('BENCH_PRODUCT_PORT takes one build only: each build needs a port of its own');
  const startedAt = new Date();
  const server = await openServer();
  const databases: string[] = [];
  const contenders: Contender[] = [];
  try {
    console.log(`HTTP benchmark on ${server.description}: ${builds.map((b) => `${b.label} (${b.commit}, ${b.root})`).join(', ')} and the ${PEER} peer`);
    await checkConnections(server, builds.length);
    for (const build of builds) contenders.push(await startBuild(server, build, builds.length, settings, startedAt, databases));
    const only = process.env.BENCH_ONLY;
    if (!only) contenders.push(await startPeer(server, settings, startedAt, databases));
    const products = contenders.filter((c) => c.kind === 'product');
    const scenarios = loadScenarios(settings);
    const byId = new Map(scenarios.map((scenario) => [scenario.id, scenario]));

    if (only) {
      // Profiling mode: one scenario, its rounds printed, nothing written.
      if (only === 'latency') {
        for (const product of products) await commandToReadModel(product, settings);
        return;
      }
      const scenario = byId.get(only);
      if (!scenario) throw new Error(`BENCH_ONLY must be one of ${[...byId.keys()].join(', ')}, latency, not "${only}"`);
      await interleave(scenario, contenders, settings);
      return;
    }

    // Reads first, while each worker holds BENCH_TASKS_PER_WORKER tasks; the create rounds add thousands.
    const reads = await interleave(byId.get('reads')!, contenders, settings);
    const accountReads = await interleave(byId.get('accounting')!, contenders, settings);
    const identityReads = await interleave(byId.get('identity')!, contenders, settings);
    const readAfterCreate = await readAfterCreateCheck(contenders, settings.readAfterCreate);
    const creates = await interleave(byId.get('create')!, contenders, settings);
    const completes = await interleave(byId.get('complete')!, contenders, settings);
    const analyticsReads = await interleave(byId.get('analytics')!, contenders, settings);
    const latency: LatencyResult[] = [];
    for (const product of products) latency.push(await commandToReadModel(product, settings));

    const results = [creates, completes, reads, accountReads, identityReads, analyticsReads];
    const report = { results, latency, readAfterCreate, builds, settings };
    console.log(`\n${renderConsole(report)}`);
    const file = resultsFile();
    writeBenchmarkSection('http', renderMarkdown(report, startedAt, server.description), file);
    console.log(`\nWrote the http section of ${file}`);
    const errors =
      results.flat().reduce((sum, result) => sum + result.rounds.reduce((s, r) => s + r.errors, 0), 0) +
      latency.reduce((sum, l) => sum + l.errors, 0) +
      readAfterCreate.reduce((sum, r) => sum + r.errors, 0);
    if (errors > 0) {
      console.error(`${errors} requests failed (see ${contenders.map((c) => c.process.logFile).join(', ')})`);
      process.exitCode = 1;
    }
  } finally {
    for (const contender of contenders) {
      contender.client.close();
      await contender.process.stop();
    }
    for (const database of databases) await server.dropDatabase(database).catch(() => undefined);
    await server.stop();
  }
}

/** A build of the product on a database of its own, with its users registered and its read tasks seeded. */
async function startBuild(server: BenchServer, build: Build, builds: number, settings: Settings, startedAt: Date, databases: string[]): Promise<Contender> {
  const database = `bench_http_${startedAt.getTime()}_${build.label.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;
  databases.push(database);
  const databaseUrl = await server.createDatabase(database);
  console.log(`${build.label}: starting the product (the api, and the worker as its child process)...`);
  // Builds running side by side need ports (and so log files) of their own.
  const product = await startProduct(
    databaseUrl,
    { ...build.env, BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_BEAK: JSON.stringify(ADMIN.beak), BOOTSTRAP_ADMIN_NAME: 'Bench admin' },
    { root: build.root, port: builds > 1 ? await freePort() : undefined },
  );
  console.log(`${build.label}: product pid ${product.pid} at ${product.baseUrl}; its log: ${product.logFile}`);
  const client = new JsonClient(product.baseUrl, 256);
  const contender: Contender = {
    label: build.label,
    kind: 'product',
    description: build.commit,
    process: product,
    postgresCpuMs: postgresCpuMeter(server, database),
    client,
    admin: { userId: '', token: '' },
    workers: [],
    created: [],
  };
  try {
    const started = performance.now();
    const { admin, workers } = await seedBenchUsers(client, settings.workers);
    console.log(`${build.label}: registered and logged in ${settings.workers} workers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    Object.assign(contender, { admin, workers });
    await seedTasks(contender, settings.tasksPerWorker);
    // The seed's reactions must not land in the first read round's CPU.
    await caughtUp(contender);
    return contender;
  } catch (error) {
    client.close();
    await product.stop();
    throw error;
  }
}

/**
 * The Emmett peer on a database of its own. Its users are ids it was told at start and its
 * bearer tokens are those ids, unchecked (see bench/emmett-tasks-server.ts).
 */
async function startPeer(server: BenchServer, settings: Settings, startedAt: Date, databases: string[]): Promise<Contender> {
  const database = `bench_http_${startedAt.getTime()}_emmett`;
  databases.push(database);
  const databaseUrl = await server.createDatabase(database);
  const asUser = (userId: string): User => ({ userId, token: userId });
  const workers = Array.from({ length: settings.workers }, () => asUser(randomUUID()));
  const peer = await startEmmettPeer(databaseUrl, workers.map((worker) => worker.userId));
  console.log(`${PEER}: peer pid ${peer.pid} at ${peer.baseUrl}; its log: ${peer.logFile}`);
  const contender: Contender = {
    label: PEER,
    kind: 'peer',
    description: 'Express 5, @event-driven-io/emmett 0.42.0 DeciderCommandHandler, emmett-postgresql 0.42.0 event store with an inline pongoSingleStreamProjection',
    process: peer,
    postgresCpuMs: postgresCpuMeter(server, database),
    client: new JsonClient(peer.baseUrl, 256),
    admin: asUser(randomUUID()),
    workers,
    created: [],
  };
  await seedTasks(contender, settings.tasksPerWorker);
  return contender;
}

/** Tasks for the read scenario, then (ours) waits until the task board shows them. */
async function seedTasks(contender: Contender, perWorker: number): Promise<void> {
  const count = contender.workers.length * perWorker;
  let last = '';
  await inParallel([...Array(count).keys()], 8, async (i) => {
    const body = await contender.client.expectOk<{ position?: string }>('POST', '/tasks', {
      token: contender.admin.token,
      body: { title: `Seeded task ${i}`, description: 'Seeded for the read scenario' },
    });
    if (body.position && body.position > last) last = body.position;
  });
  if (contender.kind === 'product') {
    await contender.client.expectOk('GET', `/tasks/mine?after=${encodeURIComponent(last)}`, { token: contender.workers[0].token });
  }
  console.log(`${contender.label}: created ${count} tasks for the read scenario`);
}

/**
 * Waits until every process manager and every projection of the product has caught up with the
 * log: the work a round of commands set off is then done, and its CPU time counted.
 */
async function caughtUp(contender: Contender): Promise<number> {
  if (contender.kind === 'peer') return 0;
  const started = performance.now();
  const deadline = Date.now() + 120_000;
  let answered = '';
  /** Events still to handle, or Infinity while the status endpoint does not answer (a 503 under load). */
  const lag = async (path: string) => {
    const response = await contender.client.send<Array<{ lagEvents: number }>>('GET', path, { token: contender.admin.token });
    answered = `GET ${path} answered ${response.status}`;
    return response.status === 200 ? response.body.reduce((sum, row) => sum + row.lagEvents, 0) : Infinity;
  };
  // Process managers first: once they are done, the events they wrote are in the projections' lag.
  while ((await lag('/process-managers')) + (await lag('/projections')) > 0) {
    if (Date.now() > deadline) throw new Error(`${contender.label}: the reactions did not catch up within 120 s (last: ${answered})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - started;
}

/**
 * Builds side by side each hold their pools at once (api and worker: EVENT_STORE_POOL_SIZE +
 * READ_MODEL_POOL_SIZE each); on a server with fewer free connections the product answers 503
 * ("too many clients") mid-run. Said up front, with the way out.
 */
async function checkConnections(server: BenchServer, builds: number): Promise<void> {
  const [{ max, used }] = await server.query<{ max: number; used: number }>(
    "select current_setting('max_connections')::int as max, (select count(*)::int from pg_stat_activity) as used",
  );
  const perProcess = Number(process.env.EVENT_STORE_POOL_SIZE || 20) + Number(process.env.READ_MODEL_POOL_SIZE || 10);
  const needed = builds * 2 * perProcess + 10;
  if (needed > max - used) {
    console.log(
      `warning: ${builds} builds and the peer may hold up to ${needed} connections, and the server has ${max - used} free (max_connections ${max}): ` +
        'raise max_connections or lower EVENT_STORE_POOL_SIZE and READ_MODEL_POOL_SIZE, or expect 503s',
    );
  }
}

function loadScenarios(settings: Settings): LoadScenario[] {
  const readTarget: Target = {
    label: `≥ ${formatNumber(TARGETS.readsPerSecond)}/s`,
    ok: (r) => r.perSecond >= TARGETS.readsPerSecond,
    miss: (r) => shortBy(r.perSecond, TARGETS.readsPerSecond, '/s'),
  };
  const read = (id: string, label: string, path: string, peer: boolean, targets: Target[], as: 'workers' | 'admin' = 'workers'): LoadScenario => ({
    id,
    label,
    peer,
    rounds: settings.rounds,
    warmUp: true,
    cpuGoal: CPU_GOALS.read,
    targets,
    run: (contender) => readAs(path, contender, as === 'admin' ? [contender.admin] : contender.workers, settings),
  });
  const connections = `${settings.connections} connections`;
  return [
    read('reads', `GET ${MY_OPEN_TASKS} (${connections}, ${settings.tasksPerWorker} tasks each)`, MY_OPEN_TASKS, true, [readTarget]),
    read('accounting', `GET /accounting/me (${connections})`, '/accounting/me', false, [readTarget]),
    read('identity', `GET /auth/me (${connections})`, '/auth/me', false, []),
    {
      id: 'create',
      label: `POST /tasks (${connections})`,
      peer: true,
      rounds: settings.rounds,
      warmUp: true,
      cpuGoal: CPU_GOALS.create,
      targets: [
        { label: `≥ ${formatNumber(TARGETS.createPerSecond)}/s`, ok: (r) => r.perSecond >= TARGETS.createPerSecond, miss: (r) => shortBy(r.perSecond, TARGETS.createPerSecond, '/s') },
        { label: `p99 < ${TARGETS.createP99Ms} ms`, ok: (r) => r.p99 < TARGETS.createP99Ms, miss: (r) => overBy(r.p99, TARGETS.createP99Ms, ' ms') },
      ],
      run: (contender) => createTasks(contender, settings),
    },
    {
      id: 'complete',
      label: `POST /tasks/:id/complete (${connections}, every task the create rounds made)`,
      peer: false,
      rounds: 1,
      warmUp: false,
      targets: [],
      run: (contender) => completeTasks(contender, settings),
    },
    read('analytics', `GET /analytics/most-expensive-task?period=day (${connections}, as the admin)`, '/analytics/most-expensive-task?period=day', false, [], 'admin'),
  ];
}

/**
 * The scenario's rounds on every contender that serves it, taking turns (round 1 of each, then
 * round 2 of each, ...), after one uncounted warm-up round each.
 */
async function interleave(scenario: LoadScenario, all: Contender[], settings: Settings): Promise<ScenarioResult[]> {
  const contenders = all.filter((contender) => contender.kind === 'product' || scenario.peer);
  if (scenario.warmUp) {
    const short = { ...settings, duration: Math.min(2, settings.duration) };
    for (const contender of contenders) {
      const kept = contender.created.length;
      await scenario.run(contender, short);
      contender.created.splice(kept);
    }
  }
  const rounds = new Map<Contender, Round[]>(contenders.map((contender) => [contender, []]));
  for (let round = 1; round <= scenario.rounds; round++) {
    for (const contender of contenders) {
      const result = await scenario.run(contender, settings);
      rounds.get(contender)!.push(result);
      console.log(
        `round ${round}/${scenario.rounds} ${scenario.label}, ${contender.label}: ${formatNumber(result.perSecond)}/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
          `${result.errors} errors, CPU ${formatNumber(result.cpuMicros)} µs/request` +
          `${result.settleMs > 0 ? ` (reactions caught up ${formatNumber(result.settleMs)} ms after the load)` : ''}, load ${result.load}`,
      );
    }
  }
  return contenders.map((contender) =>
    judge(scenario.label, contender, rounds.get(contender)!, contender.kind === 'product' ? scenario.targets : [], contender.kind === 'product' ? scenario.cpuGoal : undefined),
  );
}

interface CreatedTask {
  taskId: string;
  assigneeId: string;
}

function createTasks(contender: Contender, settings: Settings): Promise<Round> {
  return load(contender, settings, {
    duration: settings.duration,
    requests: createTaskRequests([contender.admin, ...contender.workers], 'bench:http', (task) => contender.created.push(task)) as autocannon.Request[],
  });
}

/** Completes every task the create rounds made, each by its assignee, then empties the list. */
function completeTasks(contender: Contender, settings: Settings): Promise<Round> {
  const tokens = new Map(contender.workers.map((worker) => [worker.userId, worker.token]));
  const queue = contender.created.splice(0);
  let next = 0;
  return load(contender, settings, {
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

/** GET `path`, each request as the next of `users` in turn. */
function readAs(path: string, contender: Contender, users: User[], settings: Settings): Promise<Round> {
  let n = 0;
  return load(contender, settings, {
    duration: settings.duration,
    requests: [
      {
        method: 'GET',
        path,
        setupRequest: (request) => ({ ...request, headers: { authorization: `Bearer ${users[n++ % users.length].token}` } }),
      },
    ],
  });
}

/** One autocannon run; the CPU counter is read once the reactions the run set off have caught up. */
async function load(contender: Contender, settings: Settings, options: Partial<autocannon.Options>): Promise<Round> {
  const cpuBefore = processTreeCpuMs(contender.process.pid);
  const postgresBefore = await contender.postgresCpuMs();
  const result = await autocannon({ url: contender.process.baseUrl, connections: settings.connections, timeout: 10, ...options });
  const settleMs = await caughtUp(contender);
  const requests = result.requests.total;
  const postgresMicros = (((await contender.postgresCpuMs()) - postgresBefore) * 1000) / Math.max(1, requests);
  return {
    requests,
    perSecond: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuMicros: ((processTreeCpuMs(contender.process.pid) - cpuBefore) * 1000) / Math.max(1, requests),
    postgresMicros,
    settleMs,
    load: formatLoad(),
  };
}

/**
 * `creates` tasks one after another on each contender in turn, each followed at once by its
 * assignee's list of open tasks: ours as our clients ask for it, with ?after=<the command's
 * position>; the peer's plain, its projection being written in the append's transaction.
 */
async function readAfterCreateCheck(contenders: Contender[], creates: number): Promise<ReadAfterCreate[]> {
  const results = contenders.map((contender): ReadAfterCreate => ({ contender, creates, shown: 0, errors: 0 }));
  for (let i = 0; i < creates; i++) {
    for (const result of results) {
      const { client, admin, workers, label } = result.contender;
      const created = await client.send<{ taskId: string; assigneeId: string; position?: string }>('POST', '/tasks', {
        token: admin.token,
        body: { title: `Read-after-create task ${i}`, description: 'Created by bench:http' },
      });
      if (created.status !== 201) {
        if (result.errors++ < 3) console.error(`${label}: read after create: POST /tasks answered ${created.status}`);
        continue;
      }
      const assignee = workers.find((worker) => worker.userId === created.body.assigneeId);
      const after = created.body.position ? `&after=${encodeURIComponent(created.body.position)}` : '';
      const list = await client.send<{ items: Array<{ taskId: string }> }>('GET', `${MY_OPEN_TASKS}${after}`, { token: assignee?.token });
      if (list.status !== 200) {
        if (result.errors++ < 3) console.error(`${label}: read after create: GET ${MY_OPEN_TASKS} answered ${list.status}`);
        continue;
      }
      if (list.body.items.some((task) => task.taskId === created.body.taskId)) result.shown++;
    }
  }
  for (const result of results) {
    await caughtUp(result.contender);
    console.log(`read after create, ${result.contender.label}: ${result.shown} of ${creates} lists showed the new task, ${result.errors} errors`);
  }
  return results;
}

/**
 * Open loop at `latencyRate` commands per second, whatever the answers' pace: POST /tasks, then
 * at once GET /tasks/:id?after=<position>, which answers when the task board has the task.
 */
async function commandToReadModel(contender: Contender, settings: Settings): Promise<LatencyResult> {
  const { client, label } = contender;
  const users = [contender.admin, ...contender.workers];
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
      if (errors++ < 3) console.error(`${label}: command to read model: POST /tasks answered ${created.status}`);
      return;
    }
    const read = await client.send('GET', `/tasks/${created.body.taskId}?after=${encodeURIComponent(created.body.position)}`, { token: user.token });
    if (read.status !== 200) {
      if (errors++ < 3) console.error(`${label}: command to read model: GET /tasks/:id?after= answered ${read.status}`);
      return;
    }
    commandMs.push(answered - sent);
    visibleMs.push(performance.now() - answered);
  };
  const cpuBefore = processTreeCpuMs(contender.process.pid);
  const postgresBefore = await contender.postgresCpuMs();
  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * settings.latencyRate));
    for (; sent < due; sent++) {
      inFlight.push(
        one(sent).catch((error: Error) => {
          if (errors++ < 3) console.error(`${label}: command to read model: ${error.message}`);
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const sending = (performance.now() - started) / 1000;
  await Promise.all(inFlight);
  await caughtUp(contender);
  commandMs.sort((a, b) => a - b);
  visibleMs.sort((a, b) => a - b);
  const result: LatencyResult = {
    contender,
    commands: total,
    achievedRate: total / sending,
    commandP50: percentile(commandMs, 0.5),
    commandP99: percentile(commandMs, 0.99),
    visibleP50: percentile(visibleMs, 0.5),
    visibleP99: percentile(visibleMs, 0.99),
    visibleMax: visibleMs[visibleMs.length - 1] ?? NaN,
    errors,
    cpuMicros: ((processTreeCpuMs(contender.process.pid) - cpuBefore) * 1000) / total,
    postgresMicros: (((await contender.postgresCpuMs()) - postgresBefore) * 1000) / total,
    load: formatLoad(),
  };
  console.log(
    `${label}: command to read model at ${formatNumber(result.achievedRate)} commands/s: p50 ${ms(result.visibleP50)}, p99 ${ms(result.visibleP99)} ` +
      `(commands: p50 ${ms(result.commandP50)}, p99 ${ms(result.commandP99)}), ${errors} errors, CPU ${formatNumber(result.cpuMicros)} µs/command, load ${result.load}`,
  );
  return result;
}

/** The median round by throughput, and how it stands against the CPU goal and the targets. */
function judge(label: string, contender: Contender, rounds: Round[], targets: Target[], cpuGoal: number | undefined): ScenarioResult {
  const median = [...rounds].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(rounds.length / 2)];
  const goals = cpuGoal === undefined ? targets : [cpuTarget(cpuGoal), ...targets];
  const misses = goals.filter((goal) => !goal.ok(median)).map((goal) => `${goal.label}: ${goal.miss(median)}`);
  return {
    label,
    contender,
    rounds,
    median,
    target: targets.map((target) => target.label).join(', ') || '—',
    cpuGoal:
      cpuGoal === undefined
        ? '—'
        : `≤ ${formatNumber(cpuGoal)}: ${median.cpuMicros <= cpuGoal ? 'pass' : `${Math.round((median.cpuMicros / cpuGoal - 1) * 100)}% over`}`,
    goals: goals.map((goal) => goal.label),
    verdict: goals.length === 0 ? '—' : misses.length === 0 ? 'pass' : 'miss',
    misses,
  };
}

function cpuTarget(goal: number): Target {
  return { label: `CPU ≤ ${formatNumber(goal)} µs/request`, ok: (r) => r.cpuMicros <= goal, miss: (r) => overBy(r.cpuMicros, goal, ' µs') };
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

interface Report {
  /** Per scenario, one result per contender that served it, in the order the table shows them. */
  results: ScenarioResult[][];
  latency: LatencyResult[];
  readAfterCreate: ReadAfterCreate[];
  builds: Build[];
  settings: Settings;
}

const HEADER = ['Scenario', 'Build', 'CPU (µs/request)', 'CPU goal', 'PostgreSQL CPU (µs/request)', 'Requests/s', 'p50 (ms)', 'p99 (ms)', 'Requests', 'Errors', 'Target', 'Result'];
const NUMERIC = [false, false, true, false, true, true, true, true, true, true, false, false];

function rows(results: ScenarioResult[][]): string[][] {
  return results.flat().map((result) => [
    result.label,
    result.contender.label,
    formatNumber(result.median.cpuMicros),
    result.cpuGoal,
    formatNumber(result.median.postgresMicros),
    formatNumber(result.median.perSecond),
    formatNumber(result.median.p50, 1),
    formatNumber(result.median.p99, 1),
    formatNumber(result.rounds.reduce((sum, r) => sum + r.requests, 0)),
    formatNumber(result.rounds.reduce((sum, r) => sum + r.errors, 0)),
    result.target,
    result.verdict,
  ]);
}

function latencyRows(latency: LatencyResult[], settings: Settings): string[][] {
  return latency.map((l) => [
    `POST /tasks at ${formatNumber(settings.latencyRate)}/s, then GET /tasks/:id?after=`,
    l.contender.label,
    formatNumber(l.cpuMicros),
    '—',
    formatNumber(l.postgresMicros),
    formatNumber(l.achievedRate),
    formatNumber(l.visibleP50, 1),
    formatNumber(l.visibleP99, 1),
    formatNumber(l.commands),
    formatNumber(l.errors),
    `p99 < ${TARGETS.commandToReadModelP99Ms} ms`,
    l.visibleP99 < TARGETS.commandToReadModelP99Ms && l.errors === 0 ? 'pass' : 'miss',
  ]);
}

const READ_AFTER_CREATE_HEADER = ['Build', 'Creates', 'Lists that showed the new task', 'Share', 'Errors'];

function readAfterCreateRows(results: ReadAfterCreate[]): string[][] {
  return results.map((r) => [r.contender.label, formatNumber(r.creates), formatNumber(r.shown), share(r), formatNumber(r.errors)]);
}

function share(result: ReadAfterCreate): string {
  return `${formatNumber((result.shown / result.creates) * 100, 1)}%`;
}

function verdicts(report: Report): string[] {
  const lines = report.results
    .flat()
    .filter((result) => result.verdict !== '—')
    .map((result) =>
      result.verdict === 'pass'
        ? `- pass: ${result.contender.label}, ${result.label} (${result.goals.join(', ')})`
        : `- **miss: ${result.contender.label}, ${result.label}**: ${result.misses.join('; ')}`,
    );
  for (const l of report.latency) {
    lines.push(
      l.visibleP99 < TARGETS.commandToReadModelP99Ms
        ? `- pass: ${l.contender.label}, command to read model (p99 < ${TARGETS.commandToReadModelP99Ms} ms)`
        : `- **miss: ${l.contender.label}, command to read model**: p99 < ${TARGETS.commandToReadModelP99Ms} ms: ${overBy(l.visibleP99, TARGETS.commandToReadModelP99Ms, ' ms')}`,
    );
  }
  return [...lines, ...peerVerdicts(report)];
}

/** The issue's goal against the peer: ahead on throughput and on CPU per request, at equal or stronger consistency. */
function peerVerdicts(report: Report): string[] {
  const lines: string[] = [];
  const peerConsistency = report.readAfterCreate.find((r) => r.contender.kind === 'peer');
  for (const scenario of report.results) {
    const peer = scenario.find((result) => result.contender.kind === 'peer');
    if (!peer) continue;
    for (const ours of scenario.filter((result) => result.contender.kind === 'product')) {
      const throughput = ours.median.perSecond / peer.median.perSecond;
      const cpu = ours.median.cpuMicros / peer.median.cpuMicros;
      const ahead = throughput >= 1 && cpu <= 1;
      const what = `${formatNumber(throughput, 2)}× ${PEER}'s requests/s, ${formatNumber(cpu, 2)}× its CPU per request`;
      lines.push(ahead ? `- pass: ${ours.contender.label} ahead of ${PEER}, ${ours.label}: ${what}` : `- **miss: ${ours.contender.label} ahead of ${PEER}, ${ours.label}**: ${what}`);
    }
  }
  if (peerConsistency) {
    for (const ours of report.readAfterCreate.filter((r) => r.contender.kind === 'product')) {
      const what = `the list showed the new task in ${share(ours)} of ${formatNumber(ours.creates)}, ${PEER}'s in ${share(peerConsistency)}`;
      lines.push(
        ours.shown / ours.creates >= peerConsistency.shown / peerConsistency.creates
          ? `- pass: ${ours.contender.label} reads its writes at least as often as ${PEER}: ${what}`
          : `- **miss: ${ours.contender.label} reads its writes at least as often as ${PEER}**: ${what}`,
      );
    }
  }
  return lines;
}

function renderConsole(report: Report): string {
  return [
    markdownTable(HEADER, NUMERIC, rows(report.results)),
    '',
    'Read after create (each create followed at once by the assignee’s list of open tasks):',
    markdownTable(READ_AFTER_CREATE_HEADER, [false, true, true, true, true], readAfterCreateRows(report.readAfterCreate)),
    '',
    'Command to read model (p50/p99: from the command’s answer to the read model showing it):',
    markdownTable(HEADER, NUMERIC, latencyRows(report.latency, report.settings)),
    '',
    ...verdicts(report),
    `load average ${formatLoad()}`,
  ].join('\n');
}

function renderMarkdown(report: Report, startedAt: Date, server: string): string {
  const { settings, builds, latency } = report;
  const roundRows = report.results.flat().map((result) => [
    result.label,
    result.contender.label,
    result.rounds.map((r) => formatNumber(r.cpuMicros)).join(' / '),
    result.rounds.map((r) => formatNumber(r.perSecond)).join(' / '),
    result.rounds.map((r) => `${r.p50}/${r.p99}`).join(' / '),
    result.rounds.map((r) => (r.settleMs > 0 ? formatNumber(r.settleMs) : '—')).join(' / '),
    result.rounds.map((r) => r.load.split(', ')[0]).join(' / '),
  ]);
  const peer = report.results.flat().find((result) => result.contender.kind === 'peer')?.contender;
  return `## HTTP: \`npm run bench:http\`

The product (\`dist/apps/main.js\`, as \`npm start\` runs it: the api, and the worker as its child process) in a
process of its own on a fresh database, driven through HTTP by autocannon from the benchmark's
process on the same 2-core machine: the load generator competes with the product and PostgreSQL
for the CPU. Users log in once before the load; every request carries a worker's or the admin's
token. Non-2xx answers count as errors. Written by \`npm run bench:http\` (bench/http.bench.ts).

Builds: ${builds.map((b) => `${b.label} = ${b.commit}`).join(', ')}${builds.length > 1 ? ', each on a database of its own, all running at once; the rounds of each scenario alternated between them (round 1 of each, then round 2 of each, ...)' : ''}.
${peer ? `Beside them, the ${PEER} peer (bench/emmett-tasks-server.ts, a process of its own on its own database on the same server): ${peer.description}; its bearer token is the user id, unchecked (no token verification, no user lookup: that favours the peer). It serves POST /tasks and the list of open tasks, and its rounds alternate with ours.` : ''}

CPU per request is the user + system time of the product's processes (api + worker; for ${PEER}, its
one process), from /proc, over a round, divided by the requests answered. After every round the
benchmark waits, polling GET /process-managers and GET /projections as the admin every 50 ms, until
every reaction and projection has caught up, and only then reads the counter: a task creation's
figure includes the pricing, the fee debit and the projections it set off. Goals: ≤ ${formatNumber(CPU_GOALS.read)} µs
per read, ≤ ${formatNumber(CPU_GOALS.create)} µs per task creation. PostgreSQL CPU per request is, over the same
span, the user + system time of the database server's backends serving that contender's database (from
/proc: the server runs on this machine), so the two columns together are what a request costs the machine.

Each load scenario ran ${settings.rounds} round(s) of ${settings.duration} s with ${settings.connections} connections, after an uncounted warm-up round (the
completion scenario once, over every task the create rounds made); the table shows the median
round by throughput. ${settings.workers} workers; the reads ran while each held ${settings.tasksPerWorker} tasks.

${markdownTable(HEADER, NUMERIC, rows(report.results))}

Read after create: ${formatNumber(settings.readAfterCreate)} creates one after another on each, taking turns, each followed
at once by the assignee's GET ${MY_OPEN_TASKS} (ours with \`&after=<the command's position>\`, as our
clients send it; ${PEER}'s plain, its projection being written in the append's transaction).

${markdownTable(READ_AFTER_CREATE_HEADER, [false, true, true, true, true], readAfterCreateRows(report.readAfterCreate))}

Command to read model: POST /tasks sent at a steady ${formatNumber(settings.latencyRate)} per second (open loop), each
answer followed at once by GET /tasks/:id?after=<position>; p50/p99 are from the command's
answer to the query's answer (the query's own round trip included). Command latency at that
rate: ${latency.map((l) => `${l.contender.label} p50 ${ms(l.commandP50)}, p99 ${ms(l.commandP99)}, slowest visibility ${ms(l.visibleMax)}`).join('; ')}.

${markdownTable(HEADER, NUMERIC, latencyRows(latency, settings))}

### Targets

${verdicts(report).join('\n')}

### Every round

${markdownTable(
  ['Scenario', 'Build', 'CPU µs/request by round', 'Requests/s by round', 'p50/p99 ms by round', 'Reactions caught up after (ms)', '1-min load average after each round'],
  [false, false, true, true, true, true, true],
  roundRows,
)}

### Machine

${machineLines(startedAt, server).join('\n')}

### Command

\`\`\`sh
${commandLine('bench:http', ['BENCH_PRODUCTS', 'BENCH_DURATION', 'BENCH_ROUNDS', 'BENCH_CONNECTIONS', 'BENCH_WORKERS', 'BENCH_TASKS_PER_WORKER', 'BENCH_READ_AFTER_CREATE', 'BENCH_LATENCY_RATE', 'LOG_LEVEL', 'BEAK_HASH_COST', 'EVENT_STORE_POOL_SIZE', 'READ_MODEL_POOL_SIZE', 'PROJECTION_BATCH_SIZE', 'PROJECTION_LIVE_BATCH_MS'])}
\`\`\`

${findings('http')}
`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
