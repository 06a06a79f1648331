/**
 * `npm run bench:ledger`: the ledger (issue 14) against the seed design it replaces, on one
 * PostgreSQL server, with one generated workload. Prints the side-by-side table and rewrites the
 * `ledger` section of BENCHMARKS.md.
 *
 * - The baseline (bench/ledger-baseline.ts): a synchronous balance engine, one SQL statement per
 *   posting, driven from this process by BENCH_LEDGER_CONNECTIONS pg clients, in a database of
 *   its own. Single postings: one statement each; batches: one transaction of the batch's
 *   statements. A posting is final when its statement (its batch's commit) answers.
 * - Ours: the product (dist/apps/main.js, as `npm start` runs it: the api and its worker child)
 *   on a fresh database, driven through HTTP by as many keep-alive clients: POST /ledger/postings,
 *   and POST /ledger/postings/batch. A posting is accepted when its request answers and final
 *   once the balances projection (ledger_balances) has applied it; "applied recorded" is when the
 *   worker's ledger-postings-applied reaction has recorded every posting applied and the postings
 *   read model shows it. Rates are postings / time from the first request to that moment.
 *
 * The workload, generated from a fixed seed: BENCH_LEDGER_ACCOUNTS accounts, amounts of 0.01 to
 * 1,000.00, debits and credits alike, BENCH_LEDGER_RETRO_PERCENT % of the postings dated 1 to 7
 * days back (the rest today). Both engines get the same postings in the same order. After the
 * load, every balance of both is checked against the one computed here from the postings (BigInt
 * cents); then the balances projection is rebuilt and checked again.
 *
 * Environment (all optional):
 * - DATABASE_URL              server; the benchmark creates bench_ledger_<ts> and bench_ledger_baseline_<ts>
 *                             there and drops them at the end. Unset: an embedded PostgreSQL.
 * - BENCH_LEDGER_SINGLES      single postings (default 20,000)
 * - BENCH_LEDGER_BATCHES      batches (default 400)
 * - BENCH_LEDGER_BATCH_SIZE   postings per batch (default 100)
 * - BENCH_LEDGER_WARMUP       single postings sent to each engine first, not measured (default 1,000)
 * - BENCH_LEDGER_CONNECTIONS  concurrent clients of each engine (default 32)
 * - BENCH_LEDGER_ACCOUNTS     accounts (default 100)
 * - BENCH_LEDGER_RETRO_PERCENT postings dated before today, in % (default 30)
 * - BENCH_PRODUCT_NODE_OPTIONS node flags for the product process, e.g. "--cpu-prof"
 * - BENCH_RESULTS_FILE        write the section there instead of BENCHMARKS.md
 * - the product's own settings (LOG_LEVEL, pool sizes, PROJECTION_BATCH_SIZE, ...) pass through to it.
 */
import { performance } from 'node:perf_hooks';
import { writeBenchmarkSection } from './benchmarks-file';
import { formatLoad, formatNumber, markdownTable, percentile, positiveInteger, resultsFile, sectionEnd, seededRandom } from './bench-env';
import { BENCH_ADMIN, inParallel, JsonClient, loginBenchUser } from './http-client';
import { Baseline, type BaselineRun, type BenchPosting, type DayCents, dayKey } from './ledger-baseline';
import { processTreeCpuMs, startBenchProduct } from './product-process';
import { openServer } from './server';

const GOALS = {
  ratio: 3,
  batchAcceptedPerSecond: 10_000,
  singleAcceptedPerSecond: 2_000,
  singleP99Ms: 50,
  rebuildPerSecond: 20_000,
};

const BRANCH = 'BENCH';
const EVENT_CODE = 1;
const BALANCES = 'ledger_balances';
const POSTINGS_READ_MODEL = 'ledger_postings';
const APPLIED_REACTION = 'ledger-postings-applied';

interface Settings {
  singles: number;
  batches: number;
  batchSize: number;
  warmUp: number;
  connections: number;
  accounts: number;
  retroPercent: number;
}

function accountName(i: number): string {
  return `ACC-${String(i).padStart(4, '0')}`;
}

function isoDay(date: Date, daysBack: number): string {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - daysBack)).toISOString().slice(0, 10);
}

function generate(count: number, settings: Settings, today: Date, next: () => number, label: string): BenchPosting[] {
  const hex = () => Math.floor(next() * 0x10000).toString(16).padStart(4, '0');
  return Array.from({ length: count }, (_, i) => {
    const retro = next() * 100 < settings.retroPercent;
    const v = (8 + Math.floor(next() * 4)).toString(16);
    return {
      traceKey: `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-${v}${hex().slice(1)}-${hex()}${hex()}${hex()}`,
      branch: BRANCH,
      account: accountName(Math.floor(next() * settings.accounts)),
      amountCents: BigInt(1 + Math.floor(next() * 100_000)),
      debitCredit: next() < 0.5 ? 'D' : 'C',
      eventCode: EVENT_CODE,
      description: `bench:ledger ${label} ${i}`,
      dateRef: isoDay(today, retro ? 1 + Math.floor(next() * 7) : 0),
    };
  });
}

function amount(cents: bigint): string {
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

function body(p: BenchPosting): Record<string, unknown> {
  return { traceKey: p.traceKey, branch: p.branch, account: p.account, amount: amount(p.amountCents), debitCredit: p.debitCredit, eventCode: p.eventCode, description: p.description, dateRef: p.dateRef };
}

/** Every (account, day) with postings, with its totals and accumulated values, from the postings alone. */
function expectedBalances(postings: readonly BenchPosting[]): Map<string, DayCents> {
  const days = new Map<string, { account: string; date: string; debit: bigint; credit: bigint }>();
  for (const p of postings) {
    const key = dayKey(p.branch, p.account, p.dateRef);
    const day = days.get(key) ?? { account: p.account, date: p.dateRef, debit: 0n, credit: 0n };
    if (p.debitCredit === 'D') day.debit += p.amountCents;
    else day.credit += p.amountCents;
    days.set(key, day);
  }
  const sorted = [...days.values()].sort((a, b) => (a.account === b.account ? (a.date < b.date ? -1 : 1) : a.account < b.account ? -1 : 1));
  const result = new Map<string, DayCents>();
  let account = '';
  let debit = 0n;
  let credit = 0n;
  for (const day of sorted) {
    if (day.account !== account) {
      account = day.account;
      debit = 0n;
      credit = 0n;
    }
    debit += day.debit;
    credit += day.credit;
    result.set(dayKey(BRANCH, day.account, day.date), { totalDebit: day.debit, totalCredit: day.credit, accumulatedDebit: debit, accumulatedCredit: credit });
  }
  return result;
}

/** The (account, day)s whose four values differ, either way, as readable lines (the first few). */
function differences(expected: Map<string, DayCents>, actual: Map<string, DayCents>): string[] {
  const found: string[] = [];
  const show = (day: DayCents | undefined) =>
    day ? `${amount(day.totalDebit)}/${amount(day.totalCredit)}/${amount(day.accumulatedDebit)}/${amount(day.accumulatedCredit)}` : 'none';
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const e = expected.get(key);
    const a = actual.get(key);
    const same = e && a && e.totalDebit === a.totalDebit && e.totalCredit === a.totalCredit && e.accumulatedDebit === a.accumulatedDebit && e.accumulatedCredit === a.accumulatedCredit;
    if (!same) found.push(`${key}: expected ${show(e)}, got ${show(a)}`);
  }
  return found;
}

function cents(text: string): bigint {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

interface Report {
  name: string;
  position: string | null;
  lagEvents: number;
  status: string;
  rebuild: unknown;
}

/** Ours: the product through HTTP. */
class Product {
  constructor(
    private readonly client: JsonClient,
    private readonly token: string,
  ) {}

  async setUp(accounts: number): Promise<void> {
    await this.client.expectOk('POST', '/ledger/event-codes', { token: this.token, body: { code: EVENT_CODE, description: 'bench: both sides', allowDebit: true, allowCredit: true } });
    await inParallel([...Array(accounts).keys()], 8, async (i) => {
      await this.client.expectOk('POST', '/ledger/accounts', { token: this.token, body: { branch: BRANCH, account: accountName(i), holder: `holder of ${accountName(i)}` } });
    });
  }

  /** Single postings, `connections` in flight: their latencies and the highest position. */
  async singles(postings: readonly BenchPosting[], connections: number): Promise<{ latencies: number[]; position: string; errors: number }> {
    const latencies: number[] = [];
    let position = '';
    let errors = 0;
    await inParallel(postings, connections, async (posting) => {
      const sent = performance.now();
      const answer = await this.client.send<{ position: string }>('POST', '/ledger/postings', { token: this.token, body: body(posting) });
      latencies.push(performance.now() - sent);
      if (answer.status !== 201) {
        if (errors++ < 3) console.error(`POST /ledger/postings answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        return;
      }
      if (answer.body.position > position) position = answer.body.position;
    });
    latencies.sort((a, b) => a - b);
    return { latencies, position, errors };
  }

  async batches(batches: readonly (readonly BenchPosting[])[], connections: number): Promise<{ latencies: number[]; position: string; errors: number }> {
    const latencies: number[] = [];
    let position = '';
    let errors = 0;
    await inParallel(batches, connections, async (batch) => {
      const sent = performance.now();
      const answer = await this.client.send<{ position: string; results: Array<{ status: number; error?: unknown }> }>('POST', '/ledger/postings/batch', {
        token: this.token,
        body: { items: batch.map(body) },
      });
      latencies.push(performance.now() - sent);
      if (answer.status !== 200) {
        if (errors++ < 3) console.error(`POST /ledger/postings/batch answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
        errors += batch.length - 1;
        return;
      }
      for (const result of answer.body.results) {
        if (result.status !== 201 && errors++ < 3) console.error(`a batch item answered ${result.status}: ${JSON.stringify(result.error)}`);
      }
      if (answer.body.position > position) position = answer.body.position;
    });
    latencies.sort((a, b) => a - b);
    return { latencies, position, errors };
  }

  projections(): Promise<Report[]> {
    return this.client.expectOk<Report[]>('GET', '/projections', { token: this.token });
  }

  processManagers(): Promise<Report[]> {
    return this.client.expectOk<Report[]>('GET', '/process-managers', { token: this.token });
  }

  /** Resolves when `ready` holds, polling every 20 ms; fails after `timeoutMs`. */
  async until(what: string, ready: () => Promise<boolean>, timeoutMs = 300_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (!(await ready())) {
      if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return performance.now();
  }

  /** When the balances include everything up to `position`, then when every posting shows applied. */
  async finalAndApplied(position: string): Promise<{ final: number; applied: number }> {
    const final = await this.until(`${BALANCES} reaching ${position}`, async () => {
      const balances = (await this.projections()).find((p) => p.name === BALANCES);
      if (balances?.status === 'halted') throw new Error(`${BALANCES} halted`);
      return !!balances?.position && balances.position >= position;
    });
    const applied = await this.until(`every posting applied up to ${position}`, async () => {
      const reaction = (await this.processManagers()).find((p) => p.name === APPLIED_REACTION);
      if (!reaction?.position || reaction.position < position || reaction.lagEvents > 0) return false;
      const postings = (await this.projections()).find((p) => p.name === POSTINGS_READ_MODEL);
      return postings?.lagEvents === 0;
    });
    return { final, applied };
  }

  /** Every (account, day) with postings, from GET .../balances. */
  async balances(accounts: number, from: string, to: string): Promise<Map<string, DayCents>> {
    const result = new Map<string, DayCents>();
    await inParallel([...Array(accounts).keys()], 8, async (i) => {
      const answer = await this.client.expectOk<{ items: Array<Record<string, string>> }>('GET', `/ledger/accounts/${BRANCH}/${accountName(i)}/balances?from=${from}&to=${to}`, { token: this.token });
      for (const item of answer.items) {
        result.set(dayKey(BRANCH, accountName(i), item.dateRef), {
          totalDebit: cents(item.totalDebit),
          totalCredit: cents(item.totalCredit),
          accumulatedDebit: cents(item.accumulatedDebit),
          accumulatedCredit: cents(item.accumulatedCredit),
        });
      }
    });
    return result;
  }

  /** Rebuilds the balances projection from the log: seconds from the request to the swap. */
  async rebuild(): Promise<number> {
    const started = performance.now();
    await this.client.expectOk('POST', `/projections/${BALANCES}/rebuild`, { token: this.token });
    const done = await this.until(`${BALANCES} rebuild`, async () => {
      const balances = (await this.projections()).find((p) => p.name === BALANCES);
      if (balances?.status === 'halted') throw new Error(`${BALANCES} halted during its rebuild`);
      // The request itself marks the rebuild (its answer comes after): done once the new generation is swapped in, with no lag.
      return !!balances && !balances.rebuild && balances.lagEvents === 0;
    });
    return (done - started) / 1000;
  }
}

interface OursRun {
  postings: number;
  acceptedSeconds: number;
  finalSeconds: number;
  appliedSeconds: number;
  p50: number;
  p99: number;
  errors: number;
  cpuMicros: number;
}

interface ModeResult {
  label: string;
  ours: OursRun;
  baseline: BaselineRun;
}

function rate(postings: number, seconds: number): number {
  return postings / seconds;
}

async function main(): Promise<void> {
  const settings: Settings = {
    singles: positiveInteger('BENCH_LEDGER_SINGLES', 20_000),
    batches: positiveInteger('BENCH_LEDGER_BATCHES', 400),
    batchSize: positiveInteger('BENCH_LEDGER_BATCH_SIZE', 100),
    warmUp: positiveInteger('BENCH_LEDGER_WARMUP', 1_000),
    connections: positiveInteger('BENCH_LEDGER_CONNECTIONS', 32),
    accounts: positiveInteger('BENCH_LEDGER_ACCOUNTS', 100),
    retroPercent: Number(process.env.BENCH_LEDGER_RETRO_PERCENT ?? 30),
  };
  if (!(settings.retroPercent >= 0 && settings.retroPercent <= 100)) throw new Error('BENCH_LEDGER_RETRO_PERCENT must be 0 to 100');
  const startedAt = new Date();
  const today = startedAt;
  const next = seededRandom(14);
  const warmUp = generate(settings.warmUp, settings, today, next, 'warm-up');
  const singles = generate(settings.singles, settings, today, next, 'single');
  const batched = generate(settings.batches * settings.batchSize, settings, today, next, 'batched');
  const batches = Array.from({ length: settings.batches }, (_, i) => batched.slice(i * settings.batchSize, (i + 1) * settings.batchSize));
  const expected = expectedBalances([...warmUp, ...singles, ...batched]);
  const total = warmUp.length + singles.length + batched.length;

  const server = await openServer();
  const ourDatabase = `bench_ledger_${startedAt.getTime()}`;
  const baselineDatabase = `bench_ledger_baseline_${startedAt.getTime()}`;
  let client: JsonClient | null = null;
  try {
    console.log(
      `Ledger benchmark on ${server.description}: ${formatNumber(total)} postings (${formatNumber(settings.warmUp)} warm-up, ${formatNumber(settings.singles)} single, ` +
        `${formatNumber(settings.batches)} batches of ${settings.batchSize}) to ${settings.accounts} accounts, ${settings.retroPercent}% retroactive, ${settings.connections} clients`,
    );

    // The baseline first, alone, then the product: the server's connections are enough for one of them at a time.
    const baseline = await Baseline.open(await server.createDatabase(baselineDatabase), settings.connections);
    let baselineSingles: BaselineRun;
    let baselineBatches: BaselineRun;
    let baselineDiffs: string[];
    try {
      await baseline.singles(warmUp);
      baselineSingles = await baseline.singles(singles);
      console.log(`baseline, single postings: ${formatNumber(baselineSingles.perSecond)}/s, p50 ${baselineSingles.p50.toFixed(1)} ms, p99 ${baselineSingles.p99.toFixed(1)} ms, ${baselineSingles.errors} errors, load ${formatLoad()}`);
      baselineBatches = await baseline.batches(batches);
      console.log(`baseline, batches of ${settings.batchSize}: ${formatNumber(baselineBatches.perSecond)} postings/s, ${baselineBatches.errors} errors, load ${formatLoad()}`);
      baselineDiffs = differences(expected, await baseline.balances());
      console.log(baselineDiffs.length === 0 ? `baseline: every balance exact (${formatNumber(expected.size)} account-days)` : `baseline: ${baselineDiffs.length} account-days differ`);
    } finally {
      await baseline.close();
    }
    await server.dropDatabase(baselineDatabase).catch(() => undefined);

    const databaseUrl = await server.createDatabase(ourDatabase);
    const product = await startBenchProduct(databaseUrl);
    try {
      client = new JsonClient(product.baseUrl, settings.connections + 4);
      const admin = await loginBenchUser(client, BENCH_ADMIN.email, BENCH_ADMIN.beak);
      const ours = new Product(client, admin.token);
      await ours.setUp(settings.accounts);
      const warm = await ours.singles(warmUp, settings.connections);
      await ours.finalAndApplied(warm.position);
      if (warm.errors > 0) {
        console.error(`${warm.errors} warm-up postings failed`);
        process.exitCode = 1;
      }

      const measure = async (count: number, send: () => Promise<{ latencies: number[]; position: string; errors: number }>): Promise<OursRun> => {
        const cpuBefore = processTreeCpuMs(product.pid);
        const started = performance.now();
        const sent = await send();
        const accepted = performance.now();
        const { final, applied } = await ours.finalAndApplied(sent.position);
        return {
          postings: count,
          acceptedSeconds: (accepted - started) / 1000,
          finalSeconds: (final - started) / 1000,
          appliedSeconds: (applied - started) / 1000,
          p50: percentile(sent.latencies, 0.5),
          p99: percentile(sent.latencies, 0.99),
          errors: sent.errors,
          cpuMicros: ((processTreeCpuMs(product.pid) - cpuBefore) * 1000) / count,
        };
      };
      const show = (label: string, run: OursRun) =>
        console.log(
          `ours, ${label}: accepted ${formatNumber(rate(run.postings, run.acceptedSeconds))}/s, final ${formatNumber(rate(run.postings, run.finalSeconds))}/s, ` +
            `applied recorded ${formatNumber(rate(run.postings, run.appliedSeconds))}/s, p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms, ` +
            `${run.errors} errors, product CPU ${formatNumber(run.cpuMicros)} µs/posting, load ${formatLoad()}`,
        );
      const oursSingles = await measure(singles.length, () => ours.singles(singles, settings.connections));
      show('single postings', oursSingles);
      const oursBatches = await measure(batched.length, () => ours.batches(batches, settings.connections));
      show(`batches of ${settings.batchSize}`, oursBatches);

      const from = isoDay(today, 7);
      const to = isoDay(today, 0);
      const oursDiffs = differences(expected, await ours.balances(settings.accounts, from, to));
      console.log(oursDiffs.length === 0 ? `ours: every balance exact (${formatNumber(expected.size)} account-days)` : `ours: ${oursDiffs.length} account-days differ`);

      const rebuildSeconds = await ours.rebuild();
      const rebuildDiffs = differences(expected, await ours.balances(settings.accounts, from, to));
      const rebuild = { postings: total, seconds: rebuildSeconds, diffs: rebuildDiffs };
      console.log(
        `ours, rebuild of ${BALANCES}: ${formatNumber(total)} postings in ${rebuildSeconds.toFixed(2)} s, ${formatNumber(total / rebuildSeconds)}/s; ` +
          `${rebuildDiffs.length === 0 ? 'every balance exact' : `${rebuildDiffs.length} account-days differ`}`,
      );

      const modes: ModeResult[] = [
        { label: 'single postings', ours: oursSingles, baseline: baselineSingles },
        { label: `batches of ${settings.batchSize}`, ours: oursBatches, baseline: baselineBatches },
      ];
      const exactness = { baseline: baselineDiffs, ours: oursDiffs, rebuild: rebuildDiffs, days: expected.size };
      const summary: Summary = { settings, modes, rebuild, exactness };
      console.log(`\n${renderTables(summary)}\n\n${goals(summary).join('\n')}\nload average ${formatLoad()}`);
      const file = resultsFile();
      writeBenchmarkSection('ledger', renderMarkdown(summary, startedAt, server.description), file);
      console.log(`\nWrote the ledger section of ${file}`);

      const failures = [...baselineDiffs, ...oursDiffs, ...rebuildDiffs];
      for (const line of failures.slice(0, 10)) console.error(`inexact balance: ${line}`);
      const errors = modes.reduce((sum, m) => sum + m.ours.errors + m.baseline.errors, 0);
      if (errors > 0) console.error(`${errors} postings failed (see ${product.logFile})`);
      if (failures.length > 0 || errors > 0) process.exitCode = 1;
    } finally {
      client?.close();
      await product.stop();
    }
  } finally {
    await server.dropDatabase(baselineDatabase).catch(() => undefined);
    await server.dropDatabase(ourDatabase).catch(() => undefined);
    await server.stop();
  }
}

interface Summary {
  settings: Settings;
  modes: ModeResult[];
  rebuild: { postings: number; seconds: number; diffs: string[] };
  exactness: { baseline: string[]; ours: string[]; rebuild: string[]; days: number };
}

const HEADER = [
  'Workload',
  'Postings',
  'Baseline (postings/s)',
  'Ours accepted (postings/s)',
  'Ours final (postings/s)',
  'Ours applied recorded (postings/s)',
  'Ours final / baseline',
  'Baseline p50/p99 (ms)',
  'Ours p50/p99 (ms)',
  'Ours product CPU (µs/posting)',
];
const NUMERIC = [false, true, true, true, true, true, true, true, true, true];

function modeRows(modes: readonly ModeResult[]): string[][] {
  return modes.map(({ label, ours, baseline }) => [
    label,
    formatNumber(ours.postings),
    formatNumber(baseline.perSecond),
    formatNumber(rate(ours.postings, ours.acceptedSeconds)),
    formatNumber(rate(ours.postings, ours.finalSeconds)),
    formatNumber(rate(ours.postings, ours.appliedSeconds)),
    `${(rate(ours.postings, ours.finalSeconds) / baseline.perSecond).toFixed(2)}×`,
    `${baseline.p50.toFixed(1)} / ${baseline.p99.toFixed(1)}`,
    `${ours.p50.toFixed(1)} / ${ours.p99.toFixed(1)}`,
    formatNumber(ours.cpuMicros),
  ]);
}

function renderTables(summary: Summary): string {
  const { rebuild } = summary;
  return [
    markdownTable(HEADER, NUMERIC, modeRows(summary.modes)),
    '',
    markdownTable(
      ['Rebuild of ledger_balances', 'Postings', 'Seconds', 'Postings/s'],
      [false, true, true, true],
      [['from the request to the swap', formatNumber(rebuild.postings), rebuild.seconds.toFixed(2), formatNumber(rebuild.postings / rebuild.seconds)]],
    ),
  ].join('\n');
}

function shortBy(value: number, goal: number, unit: string): string {
  return `${formatNumber(value)}${unit}, ${Math.round((1 - value / goal) * 100)}% short`;
}

function goalRows(summary: Summary): Array<{ goal: string; reached: string; met: boolean; miss: string }> {
  const [single, batch] = summary.modes;
  const exact = summary.exactness.baseline.length === 0 && summary.exactness.ours.length === 0;
  const ratio = (m: ModeResult) => rate(m.ours.postings, m.ours.finalSeconds) / m.baseline.perSecond;
  const exactText = exact ? 'every balance exact for both' : `inexact: baseline ${summary.exactness.baseline.length}, ours ${summary.exactness.ours.length} account-days`;
  const rows = [single, batch].map((m) => ({
    goal: `${m.label}: ours final ≥ ${GOALS.ratio}× the baseline, every balance exact`,
    reached: `${ratio(m).toFixed(2)}×; ${exactText}`,
    met: ratio(m) >= GOALS.ratio && exact,
    miss: ratio(m) >= GOALS.ratio ? exactText : `${ratio(m).toFixed(2)}×, ${Math.round((1 - ratio(m) / GOALS.ratio) * 100)}% short`,
  }));
  const batchAccepted = rate(batch.ours.postings, batch.ours.acceptedSeconds);
  rows.push({
    goal: `batches of ${summary.settings.batchSize} through HTTP: ≥ ${formatNumber(GOALS.batchAcceptedPerSecond)} postings/s accepted`,
    reached: `${formatNumber(batchAccepted)}/s`,
    met: batchAccepted >= GOALS.batchAcceptedPerSecond,
    miss: shortBy(batchAccepted, GOALS.batchAcceptedPerSecond, '/s'),
  });
  const singleAccepted = rate(single.ours.postings, single.ours.acceptedSeconds);
  const singleMisses = [
    ...(singleAccepted >= GOALS.singleAcceptedPerSecond ? [] : [shortBy(singleAccepted, GOALS.singleAcceptedPerSecond, '/s')]),
    ...(single.ours.p99 < GOALS.singleP99Ms ? [] : [`p99 ${single.ours.p99.toFixed(1)} ms, ${Math.round((single.ours.p99 / GOALS.singleP99Ms - 1) * 100)}% over`]),
  ];
  rows.push({
    goal: `single postings through HTTP: ≥ ${formatNumber(GOALS.singleAcceptedPerSecond)}/s accepted at p99 < ${GOALS.singleP99Ms} ms`,
    reached: `${formatNumber(singleAccepted)}/s, p99 ${single.ours.p99.toFixed(1)} ms`,
    met: singleMisses.length === 0,
    miss: singleMisses.join('; '),
  });
  const rebuildRate = summary.rebuild.postings / summary.rebuild.seconds;
  rows.push({
    goal: `rebuild of ledger_balances: ≥ ${formatNumber(GOALS.rebuildPerSecond)} postings/s`,
    reached: `${formatNumber(rebuildRate)}/s${summary.rebuild.diffs.length === 0 ? ', every balance exact' : `, ${summary.rebuild.diffs.length} account-days inexact`}`,
    met: rebuildRate >= GOALS.rebuildPerSecond && summary.rebuild.diffs.length === 0,
    miss: rebuildRate >= GOALS.rebuildPerSecond ? 'inexact after the rebuild' : shortBy(rebuildRate, GOALS.rebuildPerSecond, '/s'),
  });
  return rows;
}

function goals(summary: Summary): string[] {
  return goalRows(summary).map((row) => (row.met ? `- met: ${row.goal} (${row.reached})` : `- **missed: ${row.goal}**: ${row.miss}`));
}

function renderMarkdown(summary: Summary, startedAt: Date, server: string): string {
  const { settings, exactness } = summary;
  return `## Ledger (issue 14): \`npm run bench:ledger\`

The ledger against the seed design it replaces, one workload for both, in one run on one
PostgreSQL server. Written by \`npm run bench:ledger\` (bench/ledger.bench.ts; the baseline is
bench/ledger-baseline.ts).

- **Workload** (fixed seed, the same postings in the same order for both): ${settings.accounts} accounts of one
  branch, amounts of 0.01 to 1,000.00, debits and credits alike, ${settings.retroPercent}% of the postings dated 1 to 7
  days before today (random), the rest today; ${formatNumber(settings.warmUp)} single postings first to warm each engine
  up (not measured), then ${formatNumber(settings.singles)} single postings, then ${formatNumber(settings.batches)} batches of ${settings.batchSize}, each by ${settings.connections}
  concurrent clients that send the next one as soon as theirs is answered.
- **Baseline**: a synchronous balance engine, one SQL statement per posting (\`select ledger_post(...)\`,
  a PL/pgSQL function: insert the posting; lock the account's balance rows from the reference date
  on; read the accumulated values of the last earlier day; upsert the day's row; add the amount to
  every later day), by ${settings.connections} pg clients from the benchmark's process, in a database of its own.
  A batch is one transaction of its ${settings.batchSize} statements (in account order, so batches cannot deadlock).
  A posting is final when its statement (or its batch's commit) answers. Latency: per statement, or
  per batch.
- **Ours**: the product (\`dist/apps/main.js\` as \`npm start\` runs it: the api and its worker child) on a
  fresh database, through HTTP by ${settings.connections} keep-alive clients: \`POST /ledger/postings\` and
  \`POST /ledger/postings/batch\`. *Accepted*: from the first request to the last answer. *Final*: from
  the first request until the balances projection (\`ledger_balances\`) has applied the last posting
  (\`GET /projections\`, every 20 ms). *Applied recorded*: until the worker's \`ledger-postings-applied\`
  reaction has recorded every posting applied and the postings read model shows it. Latency: per
  request (a batch's is per batch). Product CPU: the api's and the worker's, per posting, to final.

${renderTables(summary)}

Exactness, against the balances computed from the postings in BigInt cents (${formatNumber(exactness.days)} account-days, all four
values of each): baseline ${exactness.baseline.length === 0 ? 'exact' : `${exactness.baseline.length} differ`}; ours (\`GET /ledger/accounts/:branch/:account/balances\`)
${exactness.ours.length === 0 ? 'exact' : `${exactness.ours.length} differ`}; ours after the rebuild ${exactness.rebuild.length === 0 ? 'exact' : `${exactness.rebuild.length} differ`}.
The rebuild runs in the product's worker, over every posting of the run, from \`POST /projections/ledger_balances/rebuild\`
until the new generation is swapped in with no lag.

${sectionEnd({ id: 'ledger', script: 'bench:ledger', settings: ['BENCH_LEDGER_SINGLES', 'BENCH_LEDGER_BATCHES', 'BENCH_LEDGER_BATCH_SIZE', 'BENCH_LEDGER_WARMUP', 'BENCH_LEDGER_CONNECTIONS', 'BENCH_LEDGER_ACCOUNTS', 'BENCH_LEDGER_RETRO_PERCENT', 'LOG_LEVEL', 'EVENT_STORE_POOL_SIZE', 'READ_MODEL_POOL_SIZE', 'PROJECTION_BATCH_SIZE'], goals: goals(summary), startedAt, server })}
`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
