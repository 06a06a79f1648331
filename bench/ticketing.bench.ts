/**
 * `npm run bench:ticketing`: TicketSafe's reservations against the lock-based design most
 * ticketing systems use, both through HTTP, on one PostgreSQL server, with one generated load, in
 * one run. Prints the side-by-side table and rewrites the `ticketing` section of BENCHMARKS.md.
 *
 * - The baseline (bench/ticketing-baseline.ts): one row per seat, a transaction per reservation
 *   with `SELECT ... FOR UPDATE` on the requested seats (`FOR UPDATE SKIP LOCKED` for best
 *   available), a confirmation that marks them sold; a minimal node:http server of its own (a
 *   child process) with the same endpoints, on a database of its own.
 * - Ours: the product (dist/apps/main.js, as `npm start` runs it: the api and its worker child) on
 *   a fresh database; customers registered (`role: "customer"`) and logged in through the API.
 *
 * The load, generated from a fixed seed, the same for both: one show of BENCH_TICKETING_SECTIONS ×
 * BENCH_TICKETING_ROWS × BENCH_TICKETING_SEATS_PER_ROW seats (4 × 50 × 100 = 20,000), and
 * BENCH_TICKETING_CLIENTS concurrent customers (64), each with its own keep-alive connection and
 * its own list of requests, sending the next as soon as the last is answered. Each request asks for
 * 1 to 4 seats; half name specific seats (side by side in a random row of a random section, so some
 * collide: a 409 is a conflict, not an error), half ask for the best available of a random section.
 * One in BENCH_TICKETING_CONFIRM_EVERY (4) of the requests, when it is held, is confirmed right away
 * (`POST /ticketing/reservations/:id/confirm`, a new Idempotency-Key each). A warm-up show gets
 * BENCH_TICKETING_WARMUP requests first (not measured).
 *
 * Measured: reservations/s (holds answered 201, over the time from the first request to the last
 * answer, confirmations included), the latency of every reservation request (p50, p99), conflicts,
 * errors (any answer but 201/409, or a confirmation other than 200), and oversold seats: for ours,
 * the show's events folded from the log (SQL on es_events) — no seat in two live reservations,
 * sold + held + available = the show's seats, and the sales read model agreeing; for the baseline,
 * the same by SQL; for both, no seat handed out in two 201 answers. And the server's CPU per
 * reservation (the api and its worker; the baseline's process), over the measured load.
 *
 * Environment (all optional):
 * - DATABASE_URL                   server; the benchmark creates bench_ticketing_<ts> and bench_ticketing_baseline_<ts>
 *                                  there and drops them at the end. Unset: an embedded PostgreSQL.
 * - BENCH_TICKETING_REQUESTS       reservation requests of the measured load, in all (default 6,000)
 * - BENCH_TICKETING_WARMUP         reservation requests on the warm-up show first (default 600)
 * - BENCH_TICKETING_CLIENTS        concurrent customers (default 64)
 * - BENCH_TICKETING_CONFIRM_EVERY  one in this many requests is confirmed once held (default 4)
 * - BENCH_TICKETING_SECTIONS, BENCH_TICKETING_ROWS, BENCH_TICKETING_SEATS_PER_ROW  the show (default 4, 50, 100)
 * - BENCH_TICKETING_BASELINE_POOL  the baseline's PostgreSQL connections (default 20, the product's EVENT_STORE_POOL_SIZE default)
 * - BENCH_TICKETING_STATS_WAIT     seconds to wait before and after the load for PostgreSQL's transaction counts (default 11;
 *                                  an idle backend publishes them up to 10 s late, so less undercounts them)
 * - BENCH_PRODUCT_NODE_OPTIONS     node flags for the product process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof-tk"
 * - BENCH_RESULTS_FILE             write the section there instead of BENCHMARKS.md
 * - the product's own settings (LOG_LEVEL, BEAK_HASH_COST, pool sizes, ...) pass through to it.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { writeBenchmarkSection } from './benchmarks-file';
import { formatLoad, formatNumber, markdownTable, percentile, positiveInteger, resultsFile, sectionEnd, seededRandom } from './bench-env';
import { BENCH_ADMIN, inParallel, JsonClient, loginBenchUser } from './http-client';
import { processTreeCpuMs, startBenchProduct } from './product-process';
import { type BenchServer, openServer } from './server';
import { startBaseline } from './ticketing-baseline';

/** How long to wait for PostgreSQL's transaction counts (BENCH_TICKETING_STATS_WAIT, seconds): 11 s covers PGSTAT_IDLE_INTERVAL. */
const STATS_WAIT_MS = positiveInteger('BENCH_TICKETING_STATS_WAIT', 11) * 1000;
const GOALS = { perSecond: 1_000, p50Ms: 10, p99Ms: 50, ratio: 2 };
const TIGERFANS = { perSecond: 977, p50Ms: 11, source: 'https://renerocks.ai/projects/tigerfans' };
const CUSTOMER_BEAK = { length: 2.6, depth: 1.4, width: 0.8, curvature: 0.4 };

interface Settings {
  requests: number;
  warmUp: number;
  clients: number;
  confirmEvery: number;
  sections: number;
  rows: number;
  seatsPerRow: number;
  baselinePool: number;
}

type SeatMap = { name: string; price: string; rows: { name: string; seats: number }[] }[];

function seatMap(settings: Settings): SeatMap {
  return Array.from({ length: settings.sections }, (_, s) => ({
    name: String.fromCharCode(65 + s),
    price: `${(settings.sections - s) * 30}.00`,
    rows: Array.from({ length: settings.rows }, (_, r) => ({ name: String(r + 1), seats: settings.seatsPerRow })),
  }));
}

/** One customer's request: its body, and whether the customer confirms it once held. */
interface Op {
  body: { seats: string[] } | { section: string; quantity: number };
  confirm: boolean;
}

/** Each client's list of requests, from `seed`: `total` in all, dealt round the clients. */
function plan(settings: Settings, total: number, seed: number): Op[][] {
  const next = seededRandom(seed);
  const lanes: Op[][] = Array.from({ length: settings.clients }, () => []);
  for (let i = 0; i < total; i++) {
    const quantity = 1 + Math.floor(next() * 4);
    const section = String.fromCharCode(65 + Math.floor(next() * settings.sections));
    const specific = next() < 0.5;
    const row = 1 + Math.floor(next() * settings.rows);
    const first = 1 + Math.floor(next() * (settings.seatsPerRow - quantity + 1));
    const confirm = next() * settings.confirmEvery < 1;
    const body = specific ? { seats: Array.from({ length: quantity }, (_, k) => `${section}-${row}-${first + k}`) } : { section, quantity };
    lanes[i % settings.clients].push({ body, confirm });
  }
  return lanes;
}

/** Whom a load runs against: a base URL, the show, and each client's bearer token. */
interface Target {
  client: JsonClient;
  showId: string;
  tokens: readonly string[];
}

interface LoadRun {
  requests: number;
  holds: number;
  conflicts: number;
  errors: number;
  confirmed: number;
  confirmErrors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  confirmP50: number;
  confirmP99: number;
  /** Seats that two 201 answers both handed out. */
  doubleHanded: number;
  /** The highest position a 201/200 answered (ours; '' for the baseline). */
  position: string;
  /** CPU per hold in µs, by part: the server's processes, and its PostgreSQL backends. */
  cpu: Record<string, number>;
  /** Seconds from the last answer until the server's asynchronous work was done (ours: the worker caught up). */
  settledSeconds: number;
}

/** CPU time used so far in ms, by part (the part's processes). */
type Meter = () => Promise<Record<string, number>>;

/** The pids whose parent is `pid` (`npm start`'s worker is the api's child). */
function childPids(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid) found.push(Number(entry));
    } catch {
      // It ended meanwhile.
    }
  }
  return found;
}

/**
 * CPU of the PostgreSQL backends connected to `database`, by pid (from pg_stat_activity and
 * /proc: the server runs on this machine). A backend that ends during the load is not counted;
 * the product and the baseline keep their pools open throughout.
 */
async function backendsCpuMs(server: BenchServer, database: string): Promise<Map<number, number>> {
  const rows = await server.query<{ pid: number }>(`select pid from pg_stat_activity where datname = '${database}'`);
  return new Map(rows.map((row) => [row.pid, processTreeCpuMs(row.pid)]).filter(([, ms]) => !Number.isNaN(ms)) as [number, number][]);
}

/** A meter of `parts` (process CPU) and of the database's backends, as 'postgres'. */
function meterOf(server: BenchServer, database: string, parts: Record<string, () => number>): Meter {
  let backends = new Map<number, number>();
  let postgres = 0;
  return async () => {
    // The backends' CPU accumulates over calls: one that started since the last call counts from 0.
    const now = await backendsCpuMs(server, database);
    for (const [pid, ms] of now) postgres += ms - (backends.get(pid) ?? 0);
    backends = now;
    const [stats] = await server.query<{ transactions: string }>(`select (xact_commit + xact_rollback)::text as transactions from pg_stat_database where datname = '${database}'`);
    // Not CPU: PostgreSQL transactions (commits and rollbacks) of the database, so "per hold" reads as a count (×1000 undone below).
    return { ...Object.fromEntries(Object.entries(parts).map(([part, read]) => [part, read()])), postgres, transactions: Number(stats?.transactions ?? NaN) / 1000 };
  };
}

/**
 * Sends each lane's requests, one after another, all lanes at once. After the last answer,
 * `settle` waits for the server's asynchronous work (ours: the worker catching up), and only then
 * is the CPU read, so a hold's cost includes what it caused after its answer.
 */
async function drive(target: Target, lanes: readonly Op[][], label: string, meter?: Meter, settle: () => Promise<void> = async () => undefined): Promise<LoadRun> {
  const latencies: number[] = [];
  const confirmLatencies: number[] = [];
  const handedOut = new Set<string>();
  let holds = 0;
  let conflicts = 0;
  let errors = 0;
  let confirmed = 0;
  let confirmErrors = 0;
  let doubleHanded = 0;
  let position = '';
  const report = (what: string, status: number, body: unknown) => {
    if (errors + confirmErrors <= 3) console.error(`${label}: ${what} answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
  };
  // An idle PostgreSQL backend publishes its transaction counts up to 10 s after its last one
  // (PGSTAT_IDLE_INTERVAL): the warm-up's are published before the load, the load's after it.
  const published = () => new Promise((resolve) => setTimeout(resolve, meter ? STATS_WAIT_MS : 0));
  await published();
  const cpuBefore = meter ? await meter() : {};
  const started = performance.now();
  await Promise.all(
    lanes.map(async (ops, lane) => {
      const token = target.tokens[lane % target.tokens.length];
      for (const op of ops) {
        const sent = performance.now();
        const answer = await target.client.send<{ reservationId: string; seats: string[]; position?: string }>('POST', `/ticketing/shows/${target.showId}/reservations`, { token, body: op.body });
        latencies.push(performance.now() - sent);
        if (answer.status === 409) {
          conflicts++;
          continue;
        }
        if (answer.status !== 201) {
          errors++;
          report('a reservation', answer.status, answer.body);
          continue;
        }
        holds++;
        for (const seat of answer.body.seats) {
          if (handedOut.has(seat)) doubleHanded++;
          handedOut.add(seat);
        }
        if (answer.body.position && answer.body.position > position) position = answer.body.position;
        if (!op.confirm) continue;
        const confirmSent = performance.now();
        const paid = await target.client.send<{ status: string; position?: string }>('POST', `/ticketing/reservations/${answer.body.reservationId}/confirm`, {
          token,
          body: { paymentToken: 'tok_visa' },
          headers: { 'idempotency-key': randomUUID() },
        });
        confirmLatencies.push(performance.now() - confirmSent);
        if (paid.status === 200 && paid.body.status === 'confirmed') {
          confirmed++;
          if (paid.body.position && paid.body.position > position) position = paid.body.position;
        } else {
          confirmErrors++;
          report('a confirmation', paid.status, paid.body);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await settle();
  const settledSeconds = (performance.now() - started) / 1000 - seconds;
  const cpuAfter = meter ? await meter() : {};
  await published();
  if (meter) cpuAfter.transactions = (await meter()).transactions;
  const cpu = Object.fromEntries(Object.entries(cpuAfter).map(([part, ms]) => [part, ((ms - (cpuBefore[part] ?? 0)) * 1000) / Math.max(1, holds)]));
  latencies.sort((a, b) => a - b);
  confirmLatencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    holds,
    conflicts,
    errors,
    confirmed,
    confirmErrors,
    seconds,
    perSecond: holds / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    confirmP50: percentile(confirmLatencies, 0.5),
    confirmP99: percentile(confirmLatencies, 0.99),
    doubleHanded,
    position,
    cpu,
    settledSeconds,
  };
}

/** What the server's own records say of the show after the load. */
interface ShowCheck {
  /** Seats in two (or more) live reservations. */
  oversold: number;
  sold: number;
  held: number;
  available: number;
  /** Live reservations and confirmed ones, to compare with the 201s and 200s the clients saw. */
  reservations: number;
  confirmed: number;
  /** Anything else found wrong (a seat off the map, a read model disagreeing), as readable lines. */
  problems: string[];
  /** Ours: whether the sales read model agrees with the log ('not served' by a build without the endpoint). */
  readModel?: 'agrees' | 'differs' | 'not served';
}

function checkLine(name: string, check: ShowCheck, run: LoadRun, seats: number): string {
  const sum = check.sold + check.held + check.available;
  return (
    `${name}: ${check.oversold} seats oversold, ${run.doubleHanded} handed out twice; sold ${formatNumber(check.sold)} + held ${formatNumber(check.held)} + available ${formatNumber(check.available)} = ${formatNumber(sum)}` +
    ` (of ${formatNumber(seats)}); ${formatNumber(check.reservations)} reservations for ${formatNumber(run.holds)} holds answered, ${formatNumber(check.confirmed)} confirmed for ${formatNumber(run.confirmed)} answered` +
    (check.readModel ? `; the sales read model ${check.readModel === 'not served' ? 'is not served by this build (not compared)' : check.readModel}` : '') +
    (check.problems.length > 0 ? `; ${check.problems.length} problems` : '')
  );
}

/** Everything that makes a check fail. */
function checkFailures(name: string, check: ShowCheck, run: LoadRun, seats: number): string[] {
  const failures = check.problems.map((p) => `${name}: ${p}`);
  if (check.oversold > 0) failures.push(`${name}: ${check.oversold} seats oversold`);
  if (run.doubleHanded > 0) failures.push(`${name}: ${run.doubleHanded} seats handed out in two answers`);
  if (check.sold + check.held + check.available !== seats) failures.push(`${name}: sold + held + available = ${check.sold + check.held + check.available}, not ${seats}`);
  if (check.reservations !== run.holds) failures.push(`${name}: ${check.reservations} live reservations, but ${run.holds} holds were answered`);
  if (check.confirmed !== run.confirmed) failures.push(`${name}: ${check.confirmed} confirmed reservations, but ${run.confirmed} confirmations were answered`);
  return failures;
}

async function baselineCheck(databaseUrl: string, showId: string): Promise<ShowCheck> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, string>>(
      `select
         (select count(*) from (select seat from bl_reservations r, unnest(r.seats) seat where r.show_id = $1 group by seat having count(*) > 1) d) as oversold,
         (select coalesce(sum(cardinality(seats)), 0) from bl_reservations where show_id = $1 and status = 'confirmed') as sold,
         (select coalesce(sum(cardinality(seats)), 0) from bl_reservations where show_id = $1 and status = 'held') as held,
         (select count(*) from bl_seats where show_id = $1 and status = 'available') as available,
         (select count(*) from bl_reservations where show_id = $1) as reservations,
         (select count(*) from bl_reservations where show_id = $1 and status = 'confirmed') as confirmed,
         (select count(*) from bl_seats s where s.show_id = $1 and s.status <> 'available' and not exists (
            select 1 from bl_reservations r where r.reservation_id = s.reservation_id and s.seat_id = any(r.seats)
               and r.status = case s.status when 'held' then 'held' else 'confirmed' end)) as mismatched`,
      [showId],
    );
    const r = rows[0];
    const problems = Number(r.mismatched) > 0 ? [`${r.mismatched} taken seat rows that no reservation of the same status names`] : [];
    return {
      oversold: Number(r.oversold),
      sold: Number(r.sold),
      held: Number(r.held),
      available: Number(r.available),
      reservations: Number(r.reservations),
      confirmed: Number(r.confirmed),
      problems,
    };
  } finally {
    await client.end();
  }
}

/** Ours: the show's stream folded from the log, then compared with the sales read model. */
async function productCheck(databaseUrl: string, client: JsonClient, adminToken: string, showId: string, position: string, map: SeatMap): Promise<ShowCheck> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  let events: Array<{ type: string; data: any }>;
  try {
    events = (await db.query<{ type: string; data: any }>('select type, data from es_events where stream_name = $1 order by revision', [`ticketing-show-${showId}`])).rows;
  } finally {
    await db.end();
  }
  const onMap = new Set(map.flatMap((section) => section.rows.flatMap((row) => Array.from({ length: row.seats }, (_, n) => `${section.name}-${row.name}-${n + 1}`))));
  const live = new Map<string, { seats: string[]; status: 'held' | 'confirmed' }>();
  const owners = new Map<string, Set<string>>();
  const problems: string[] = [];
  for (const { type, data } of events) {
    if (type === 'SeatsHeld') {
      live.set(data.reservationId, { seats: data.seats, status: 'held' });
      for (const seat of data.seats as string[]) {
        if (!onMap.has(seat)) problems.push(`seat ${seat} of ${data.reservationId} is not on the map`);
        owners.set(seat, (owners.get(seat) ?? new Set()).add(data.reservationId));
      }
    } else if (type === 'ReservationConfirmed') {
      const reservation = live.get(data.reservationId);
      if (!reservation) problems.push(`${data.reservationId} confirmed while not held`);
      else reservation.status = 'confirmed';
    } else if (type === 'ReservationExpired' || type === 'ReservationCancelled') {
      const reservation = live.get(data.reservationId);
      live.delete(data.reservationId);
      for (const seat of reservation?.seats ?? []) owners.get(seat)?.delete(data.reservationId);
    }
  }
  let sold = 0;
  let held = 0;
  let confirmed = 0;
  for (const reservation of live.values()) {
    if (reservation.status === 'confirmed') {
      sold += reservation.seats.length;
      confirmed++;
    } else held += reservation.seats.length;
  }
  const oversold = [...owners.values()].filter((holders) => holders.size > 1).length;
  const available = [...onMap].filter((seat) => (owners.get(seat)?.size ?? 0) === 0).length;
  // The sales read model, once it has applied the last answer's position; a build without the endpoint is told, not failed.
  const sales = await client.send<{ sold: number; held: number; available: number }>('GET', `/ticketing/shows/${showId}/sales?after=${position}`, { token: adminToken });
  let readModel: ShowCheck['readModel'] = 'agrees';
  if (sales.status === 404 && JSON.stringify(sales.body).includes('Cannot GET')) readModel = 'not served';
  else if (sales.status !== 200) problems.push(`GET /ticketing/shows/:id/sales answered ${sales.status}: ${JSON.stringify(sales.body).slice(0, 200)}`);
  else if (sales.body.sold !== sold || sales.body.held !== held || sales.body.available !== available) {
    readModel = 'differs';
    problems.push(`the sales read model says sold ${sales.body.sold}, held ${sales.body.held}, available ${sales.body.available}; the log says ${sold}, ${held}, ${available}`);
  }
  return { oversold, sold, held, available, reservations: live.size, confirmed, problems, readModel };
}

function summarise(name: string, run: LoadRun): string {
  return (
    `${name}: ${formatNumber(run.requests)} requests, ${formatNumber(run.holds)} held, ${formatNumber(run.conflicts)} conflicts, ${run.errors} errors, ` +
    `${formatNumber(run.confirmed)} confirmed (${run.confirmErrors} failed) in ${run.seconds.toFixed(2)} s: ${formatNumber(run.perSecond)} reservations/s, ` +
    `p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms (confirm p50 ${run.confirmP50.toFixed(1)}, p99 ${run.confirmP99.toFixed(1)}), ` +
    `per hold: CPU ${Object.entries(run.cpu)
      .filter(([part]) => part !== 'transactions')
      .map(([part, us]) => `${part} ${formatNumber(us)} µs`)
      .join(', ')}, ${formatNumber(run.cpu.transactions, 1)} PostgreSQL transactions; settled ${run.settledSeconds.toFixed(2)} s after the last answer, load ${formatLoad()}`
  );
}

interface Side {
  run: LoadRun;
  check: ShowCheck;
}

async function runBaseline(settings: Settings, pg: BenchServer, database: string, map: SeatMap, warmUp: Op[][], load: Op[][]): Promise<Side> {
  const databaseUrl = await pg.createDatabase(database);
  const server = await startBaseline(databaseUrl, settings.baselinePool);
  const client = new JsonClient(server.baseUrl, settings.clients + 4);
  try {
    const tokens = Array.from({ length: settings.clients }, (_, i) => `customer-${i}`);
    const show = (title: string) =>
      client.expectOk<{ showId: string }>('POST', '/ticketing/shows', {
        token: 'organiser',
        body: { title, venue: 'Bench hall', startsAt: '2030-01-01T19:30:00Z', holdSeconds: 3600, sections: map },
      });
    const warm = await show('warm-up');
    await drive({ client, showId: warm.showId, tokens }, warmUp, 'baseline warm-up');
    const { showId } = await show('measured');
    const run = await drive({ client, showId, tokens }, load, 'baseline', meterOf(pg, database, { server: () => processTreeCpuMs(server.pid) }));
    console.log(summarise('baseline', run));
    return { run, check: await baselineCheck(databaseUrl, showId) };
  } finally {
    client.close();
    await server.stop();
  }
}

/** Resolves once every projection and process manager of the worker has no events left to handle (polling every 50 ms). */
async function workerCaughtUp(client: JsonClient, token: string, timeoutMs = 300_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const [projections, managers] = await Promise.all([
      client.expectOk<Array<{ name: string; lagEvents: number; status: string }>>('GET', '/projections', { token }),
      client.expectOk<Array<{ name: string; lagEvents: number }>>('GET', '/process-managers', { token }),
    ]);
    const halted = projections.find((p) => p.status === 'halted');
    if (halted) throw new Error(`projection ${halted.name} halted`);
    if ([...projections, ...managers].every((p) => p.lagEvents === 0)) return;
    if (performance.now() > deadline) throw new Error(`the worker did not catch up within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function runProduct(settings: Settings, pg: BenchServer, database: string, map: SeatMap, warmUp: Op[][], load: Op[][]): Promise<Side> {
  const databaseUrl = await pg.createDatabase(database);
  const product = await startBenchProduct(databaseUrl);
  const client = new JsonClient(product.baseUrl, settings.clients + 4);
  try {
    const admin = await loginBenchUser(client, BENCH_ADMIN.email, BENCH_ADMIN.beak);
    // Registration and login each derive a slow hash (BEAK_HASH_COST): a few at a time, before any load.
    const tokens: string[] = new Array(settings.clients);
    await inParallel([...Array(settings.clients).keys()], 4, async (i) => {
      const email = `bench-customer-${i}@example.com`;
      await client.expectOk('POST', '/auth/register', { body: { name: `Customer ${i}`, email, beak: CUSTOMER_BEAK, role: 'customer' } });
      tokens[i] = (await loginBenchUser(client, email, CUSTOMER_BEAK)).token;
    });
    const show = (title: string) =>
      client.expectOk<{ showId: string }>('POST', '/ticketing/shows', {
        token: admin.token,
        body: { title, venue: 'Bench hall', startsAt: '2030-01-01T19:30:00Z', holdSeconds: 3600, sections: map },
      });
    const warm = await show('warm-up');
    await drive({ client, showId: warm.showId, tokens }, warmUp, 'ours warm-up');
    const { showId } = await show('measured');
    const worker = childPids(product.pid);
    const workerCpu = () => worker.reduce((sum, pid) => sum + processTreeCpuMs(pid), 0);
    const caughtUp = () => workerCaughtUp(client, admin.token);
    await caughtUp();
    const run = await drive({ client, showId, tokens }, load, 'ours', meterOf(pg, database, { api: () => processTreeCpuMs(product.pid) - workerCpu(), worker: workerCpu }), caughtUp);
    console.log(summarise('ours', run));
    return { run, check: await productCheck(databaseUrl, client, admin.token, showId, run.position, map) };
  } finally {
    client.close();
    await product.stop();
  }
}

async function main(): Promise<void> {
  const settings: Settings = {
    requests: positiveInteger('BENCH_TICKETING_REQUESTS', 6_000),
    warmUp: positiveInteger('BENCH_TICKETING_WARMUP', 600),
    clients: positiveInteger('BENCH_TICKETING_CLIENTS', 64),
    confirmEvery: positiveInteger('BENCH_TICKETING_CONFIRM_EVERY', 4),
    sections: positiveInteger('BENCH_TICKETING_SECTIONS', 4),
    rows: positiveInteger('BENCH_TICKETING_ROWS', 50),
    seatsPerRow: positiveInteger('BENCH_TICKETING_SEATS_PER_ROW', 100),
    baselinePool: positiveInteger('BENCH_TICKETING_BASELINE_POOL', 20),
  };
  if (settings.sections > 26) throw new Error('BENCH_TICKETING_SECTIONS must be 26 at most');
  if (settings.seatsPerRow < 4) throw new Error('BENCH_TICKETING_SEATS_PER_ROW must be 4 at least');
  const seats = settings.sections * settings.rows * settings.seatsPerRow;
  const map = seatMap(settings);
  const warmUp = plan(settings, settings.warmUp, 7);
  const load = plan(settings, settings.requests, 2025);
  const startedAt = new Date();
  const server = await openServer();
  const ourDatabase = `bench_ticketing_${startedAt.getTime()}`;
  const baselineDatabase = `bench_ticketing_baseline_${startedAt.getTime()}`;
  try {
    console.log(
      `Ticketing benchmark on ${server.description}: one show of ${formatNumber(seats)} seats, ${settings.clients} concurrent customers, ` +
        `${formatNumber(settings.requests)} reservation requests (${formatNumber(settings.warmUp)} warm-up first), 1 in ${settings.confirmEvery} confirmed`,
    );
    // The baseline first, alone, then the product: each has the machine (as far as the neighbours let it) to itself.
    const baseline = await runBaseline(settings, server, baselineDatabase, map, warmUp, load);
    console.log(checkLine('baseline', baseline.check, baseline.run, seats));
    await server.dropDatabase(baselineDatabase).catch(() => undefined);
    const ours = await runProduct(settings, server, ourDatabase, map, warmUp, load);
    console.log(checkLine('ours', ours.check, ours.run, seats));

    const summary: Summary = { settings, seats, baseline, ours };
    console.log(`\n${renderTable(summary)}\n\n${goals(summary).join('\n')}\nload average ${formatLoad()}`);
    const file = resultsFile();
    writeBenchmarkSection('ticketing', renderMarkdown(summary, startedAt, server.description), file);
    console.log(`\nWrote the ticketing section of ${file}`);

    const failures = [...checkFailures('baseline', baseline.check, baseline.run, seats), ...checkFailures('ours', ours.check, ours.run, seats)];
    for (const line of failures.slice(0, 10)) console.error(`check failed: ${line}`);
    const errors = baseline.run.errors + baseline.run.confirmErrors + ours.run.errors + ours.run.confirmErrors;
    if (errors > 0) console.error(`${errors} requests failed`);
    if (failures.length > 0 || errors > 0) process.exitCode = 1;
  } finally {
    await server.dropDatabase(baselineDatabase).catch(() => undefined);
    await server.dropDatabase(ourDatabase).catch(() => undefined);
    await server.stop();
  }
}

interface Summary {
  settings: Settings;
  seats: number;
  baseline: Side;
  ours: Side;
}

const HEADER = [
  'System',
  'Requests',
  'Held (201)',
  'Conflicts (409)',
  'Errors',
  'Confirmed',
  'Reservations/s',
  'p50 / p99 (ms)',
  'Confirm p50 / p99 (ms)',
  'Oversold seats',
  'App CPU (µs/hold)',
  'PostgreSQL CPU (µs/hold)',
  'PostgreSQL transactions/hold',
];
const NUMERIC = [false, true, true, true, true, true, true, true, true, true, true, true, true];

/** The server's own processes' CPU per hold (ours: the api and its worker), without PostgreSQL's. */
function appCpu(run: LoadRun): number {
  return Object.entries(run.cpu).reduce((sum, [part, us]) => (part === 'postgres' || part === 'transactions' ? sum : sum + us), 0);
}

function row(name: string, { run, check }: Side): string[] {
  return [
    name,
    formatNumber(run.requests),
    formatNumber(run.holds),
    formatNumber(run.conflicts),
    formatNumber(run.errors + run.confirmErrors),
    formatNumber(run.confirmed),
    formatNumber(run.perSecond),
    `${run.p50.toFixed(1)} / ${run.p99.toFixed(1)}`,
    `${run.confirmP50.toFixed(1)} / ${run.confirmP99.toFixed(1)}`,
    formatNumber(check.oversold + run.doubleHanded),
    formatNumber(appCpu(run)),
    formatNumber(run.cpu.postgres ?? NaN),
    formatNumber(run.cpu.transactions ?? NaN, 1),
  ];
}

function renderTable(summary: Summary): string {
  const ratio = summary.ours.run.perSecond / summary.baseline.run.perSecond;
  return [
    markdownTable(HEADER, NUMERIC, [
      [`TigerFans (published, not measured here)`, '', '', '', '', '', formatNumber(TIGERFANS.perSecond), `${TIGERFANS.p50Ms} / –`, '', '0', '', '', ''],
      row('lock-based baseline (SELECT ... FOR UPDATE)', summary.baseline),
      row('ours (TicketSafe, the product)', summary.ours),
    ]),
    '',
    `Ours / baseline: ${ratio.toFixed(2)}× the reservations/s. Ours' app CPU per hold: api ${formatNumber(summary.ours.run.cpu.api)} µs, worker ${formatNumber(summary.ours.run.cpu.worker)} µs; its worker caught up ${summary.ours.run.settledSeconds.toFixed(2)} s after the last answer.`,
  ].join('\n');
}

function goalRows(summary: Summary): Array<{ goal: string; reached: string; met: boolean; miss: string }> {
  const { ours, baseline } = summary;
  const run = ours.run;
  const ratio = run.perSecond / baseline.run.perSecond;
  const oversold = (side: Side) => side.check.oversold + side.run.doubleHanded;
  return [
    {
      goal: `ours through HTTP: ≥ ${formatNumber(GOALS.perSecond)} reservations/s`,
      reached: `${formatNumber(run.perSecond)}/s`,
      met: run.perSecond >= GOALS.perSecond,
      miss: `${formatNumber(run.perSecond)}/s, ${Math.round((1 - run.perSecond / GOALS.perSecond) * 100)}% short`,
    },
    {
      goal: `ours: median ≤ ${GOALS.p50Ms} ms`,
      reached: `${run.p50.toFixed(1)} ms`,
      met: run.p50 <= GOALS.p50Ms,
      miss: `${run.p50.toFixed(1)} ms, ${Math.round((run.p50 / GOALS.p50Ms - 1) * 100)}% over`,
    },
    {
      goal: `ours: p99 < ${GOALS.p99Ms} ms`,
      reached: `${run.p99.toFixed(1)} ms`,
      met: run.p99 < GOALS.p99Ms,
      miss: `${run.p99.toFixed(1)} ms, ${Math.round((run.p99 / GOALS.p99Ms - 1) * 100)}% over`,
    },
    {
      goal: '0 oversold seats, both',
      reached: `ours ${oversold(ours)}, baseline ${oversold(baseline)}`,
      met: oversold(ours) === 0 && oversold(baseline) === 0,
      miss: `ours ${oversold(ours)}, baseline ${oversold(baseline)}`,
    },
    {
      goal: `ours ≥ ${GOALS.ratio}× the lock-based baseline`,
      reached: `${ratio.toFixed(2)}×`,
      met: ratio >= GOALS.ratio,
      miss: `${ratio.toFixed(2)}×, ${Math.round((1 - ratio / GOALS.ratio) * 100)}% short`,
    },
  ];
}

function goals(summary: Summary): string[] {
  return goalRows(summary).map((g) => (g.met ? `- met: ${g.goal} (${g.reached})` : `- **missed: ${g.goal}**: ${g.miss}`));
}

function renderMarkdown(summary: Summary, startedAt: Date, server: string): string {
  const { settings, seats, baseline, ours } = summary;
  const consistency = (side: Side) =>
    `sold ${formatNumber(side.check.sold)} + held ${formatNumber(side.check.held)} + available ${formatNumber(side.check.available)} = ${formatNumber(side.check.sold + side.check.held + side.check.available)}`;
  return `## Ticketing (TicketSafe): \`npm run bench:ticketing\`

TicketSafe's reservations against the lock-based design most ticketing systems use, one load for
both, both through HTTP, in one run on one PostgreSQL server. Written by \`npm run bench:ticketing\`
(bench/ticketing.bench.ts; the baseline is bench/ticketing-baseline.ts).

- **Load** (fixed seed, the same requests for both): one show of ${formatNumber(seats)} seats (${settings.sections} sections × ${settings.rows} rows ×
  ${settings.seatsPerRow} seats), ${settings.clients} concurrent customers, each on its own keep-alive connection sending its next
  request as soon as the last is answered, ${formatNumber(settings.requests)} reservation requests in all. Each asks for 1 to 4 seats:
  half name specific seats (side by side in a random row of a random section, so some collide: a
  409 is a conflict, not an error), half ask for the best available of a random section. One request
  in ${settings.confirmEvery}, once held, is confirmed at once (\`POST /ticketing/reservations/:id/confirm\`, \`tok_visa\`, a new
  Idempotency-Key). ${formatNumber(settings.warmUp)} requests on a warm-up show first, not measured.
- **Baseline**: one row per seat, a transaction per reservation: \`SELECT ... FOR UPDATE\` on the
  requested seats (in seat order) or \`FOR UPDATE SKIP LOCKED\` on the section's first free seats for
  best available, then the seats marked held and the reservation inserted; a confirmation locks the
  reservation and its seats, records the payment under its key, marks them sold. A minimal node:http
  server (its own process, ${settings.baselinePool} pg connections) with the same endpoints, on a database of its own. It
  has no authentication (the bearer token is the customer id), no validation beyond what its SQL
  needs, no request log, no events or read models, no adjacency for best available.
- **Ours**: the product (\`dist/apps/main.js\` as \`npm start\` runs it: the api and its worker child)
  on a fresh database; the customers registered with \`role: "customer"\` and logged in through the API.
- **Measured**: reservations/s = holds answered 201 / the time from the first request to the last
  answer (confirmations included); p50/p99 over every reservation request (201 and 409 alike);
  errors = any answer but 201/409 to a reservation, or but 200 to a confirmation. Per hold, from
  before the first request until the server's asynchronous work is done (ours: every projection and
  process manager of the worker caught up): *app CPU*, the server's processes (ours: the api and its
  worker; the baseline: its process); *PostgreSQL CPU*, the backends connected to the system's
  database (pg_stat_activity and /proc); *PostgreSQL transactions*, commits and rollbacks of that
  database (pg_stat_database).
- **Oversold**: seats in two live (held or confirmed) reservations, plus seats handed out by two 201
  answers. Ours: the show's events folded from the log (\`es_events\`), checked against the sales read
  model (\`GET /ticketing/shows/:id/sales?after=\`); baseline: SQL on its reservations and seat rows.
  Ours: ${consistency(ours)}${ours.check.readModel === 'not served' ? ' (this build serves no sales read model: not compared)' : `, the sales read model ${ours.check.readModel}`}; baseline: ${consistency(baseline)} (of ${formatNumber(seats)}).
  Live reservations equal the holds answered, and confirmed ones the confirmations answered: ${
    ours.check.reservations === ours.run.holds && ours.check.confirmed === ours.run.confirmed && baseline.check.reservations === baseline.run.holds && baseline.check.confirmed === baseline.run.confirmed
      ? 'yes, for both'
      : '**no** (see the run output)'
  }.

${renderTable(summary)}

TigerFans: ${formatNumber(TIGERFANS.perSecond)} reservations/s at an ${TIGERFANS.p50Ms} ms median, as published (${TIGERFANS.source}:
Python/FastAPI, TigerBeetle, Redis and PostgreSQL, one ticket per order, on other hardware); not
measured here, an anchor only.

The machine is shared: other agents' test runs ran at the same time (load average below), so the
numbers are noisy; read the ratio of the two rows, measured minutes apart, rather than either alone.

${sectionEnd({
  id: 'ticketing',
  script: 'bench:ticketing',
  settings: [
    'BENCH_TICKETING_REQUESTS',
    'BENCH_TICKETING_WARMUP',
    'BENCH_TICKETING_CLIENTS',
    'BENCH_TICKETING_CONFIRM_EVERY',
    'BENCH_TICKETING_SECTIONS',
    'BENCH_TICKETING_ROWS',
    'BENCH_TICKETING_SEATS_PER_ROW',
    'BENCH_TICKETING_BASELINE_POOL',
    'BENCH_TICKETING_STATS_WAIT',
    'LOG_LEVEL',
    'EVENT_STORE_POOL_SIZE',
    'READ_MODEL_POOL_SIZE',
  ],
  goals: goals(summary),
  startedAt,
  server,
})}
`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
