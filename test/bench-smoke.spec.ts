import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The benchmarks are not part of the tests; this only proves each script still runs end to end
 * with tiny sizes, with zero errors, and prints and writes its table. Timing is never asserted.
 */
const CHECKOUT = join(__dirname, '..');

describe('benchmark scripts (smoke run)', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  });

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  function runBench(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [join(CHECKOUT, 'dist', 'bench', script)],
        {
          env: { ...process.env, DATABASE_URL: process.env.TEST_SERVER_URL, BENCH_RESULTS_FILE: join(scratch, 'BENCHMARKS.md'), ...env },
          timeout: 90_000,
          maxBuffer: 10 * 2 ** 20,
        },
        (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it('bench:http drives the product and the Emmett peer through HTTP without a single failed request', async () => {
    const { code, stdout, stderr } = await runBench('http.bench.js', {
      BENCH_DURATION: '1',
      BENCH_ROUNDS: '1',
      BENCH_CONNECTIONS: '4',
      BENCH_WORKERS: '2',
      BENCH_TASKS_PER_WORKER: '2',
      BENCH_READ_AFTER_CREATE: '5',
      BENCH_LATENCY_RATE: '20',
      BEAK_HASH_COST: '1024',
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    // Every row: scenario, build, then CPU per request first among the numbers.
    const row = (scenario: RegExp, build: string) => new RegExp(`\\| ${scenario.source}[^|]*\\| ${build}\\s+\\|\\s+[\\d,]+ \\|`);
    for (const build of ['now', 'Emmett']) {
      expect(stdout).toMatch(row(/POST \/tasks \(4 connections\)/, build));
      expect(stdout).toMatch(row(/GET \/tasks\/mine/, build));
      // The peer's list showed each of the 5 tasks right after its creation, and so did ours.
      expect(stdout).toMatch(new RegExp(`\\| ${build}\\s+\\|\\s+5 \\|\\s+5 \\| 100\\.0% \\|\\s+0 \\|`));
    }
    expect(stdout).toMatch(row(/GET \/accounting\/me/, 'now'));
    expect(stdout).toMatch(row(/GET \/auth\/me/, 'now'));
    expect(stdout).toMatch(row(/GET \/analytics\/most-expensive-task/, 'now'));
    expect(stdout).toMatch(/\| POST \/tasks at 20\/s, then GET \/tasks\/:id\?after=/);
    expect(readFileSync(join(scratch, 'BENCHMARKS.md'), 'utf8')).toContain('<!-- section:http -->');
  }, 90_000);

  it('bench:reactions measures creation to audit log under the create load, every sample shown within its bound', async () => {
    const { code, stdout, stderr } = await runBench('reactions.bench.js', {
      BENCH_DURATION: '1',
      BENCH_ROUNDS: '1',
      BENCH_CONNECTIONS: '2',
      BENCH_WORKERS: '2',
      BENCH_REACTIONS_SAMPLED: '1',
      BENCH_REACTIONS_BOUND_MS: '20000',
      BEAK_HASH_COST: '1024',
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    // One run of this checkout: samples were taken, and none was left unseen.
    expect(stdout).toMatch(/\| now\s+\|\s+1 \|\s+[\d,]+ \|\s+[\d,]+ \|\s+[1-9][\d,]* \|(\s+[\d,]+ \|){4}\s+0 \|/);
    expect(readFileSync(join(scratch, 'BENCHMARKS.md'), 'utf8')).toContain('<!-- section:reactions -->');
  }, 90_000);

  it('bench:rebuild seeds the log and rebuilds every projection to exactly the seeded rows', async () => {
    const { code, stdout, stderr } = await runBench('rebuild.bench.js', { BENCH_REBUILD_EVENTS: '3000' });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/\| task_board\s+\|\s+1,\d{3} \|/);
    expect(stdout).toMatch(/\| accounts\s+\|\s+\d{3} \|/);
    expect(stdout).toMatch(/\| all, one after another \|/);
    expect(readFileSync(join(scratch, 'BENCHMARKS.md'), 'utf8')).toContain('Every rebuilt table has exactly the rows the seed implies.');
  }, 90_000);

  it('bench:ledger runs the same postings through the baseline and the product, every balance of both exact', async () => {
    const { code, stdout, stderr } = await runBench('ledger.bench.js', {
      BENCH_LEDGER_SINGLES: '60',
      BENCH_LEDGER_BATCHES: '3',
      BENCH_LEDGER_BATCH_SIZE: '20',
      BENCH_LEDGER_WARMUP: '10',
      BENCH_LEDGER_CONNECTIONS: '4',
      BENCH_LEDGER_ACCOUNTS: '5',
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/\| single postings\s+\|\s+60 \|/);
    expect(stdout).toMatch(/\| batches of 20\s+\|\s+60 \|/);
    expect(stdout).toContain('baseline: every balance exact');
    expect(stdout).toContain('ours: every balance exact');
    expect(stdout).toMatch(/rebuild of ledger_balances: 130 postings in .*; every balance exact/);
    expect(readFileSync(join(scratch, 'BENCHMARKS.md'), 'utf8')).toContain('<!-- section:ledger -->');
  }, 90_000);

  it('bench:process-managers catches each accounting process manager up from the start, writing exactly what the seed implies', async () => {
    const { code, stdout, stderr } = await runBench('process-managers.bench.js', { BENCH_PM_TASKS: '40', BENCH_PM_CONCURRENCY: '1,4' });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/\| task-accounts\s+\|\s+1 \|\s+120 \|/);
    expect(stdout).toMatch(/\| task-accounts\s+\|\s+4 \|\s+120 \|/);
    const written = readFileSync(join(scratch, 'BENCHMARKS.md'), 'utf8');
    expect(written).toContain('<!-- section:process-managers -->');
    expect(written).toContain('Every run wrote exactly the prices, debits and credits the seed implies.');
  }, 90_000);

  it('bench:ticketing runs the same reservations through the baseline and the product, neither overselling a seat', async () => {
    const { code, stdout, stderr } = await runBench('ticketing.bench.js', {
      BENCH_TICKETING_REQUESTS: '120',
      BENCH_TICKETING_WARMUP: '20',
      BENCH_TICKETING_CLIENTS: '4',
      BENCH_TICKETING_SECTIONS: '2',
      BENCH_TICKETING_ROWS: '3',
      BENCH_TICKETING_SEATS_PER_ROW: '10',
      BENCH_TICKETING_STATS_WAIT: '1',
      BEAK_HASH_COST: '1024',
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    // 60 seats, 120 requests of 1 to 4: the show sells out, so conflicts are sure, and every seat is accounted for.
    expect(stdout).toMatch(/baseline: 0 seats oversold, 0 handed out twice; sold [\d,]+ \+ held [\d,]+ \+ available [\d,]+ = 60 \(of 60\)/);
    expect(stdout).toMatch(/ours: 0 seats oversold, 0 handed out twice; sold [\d,]+ \+ held [\d,]+ \+ available [\d,]+ = 60 \(of 60\)/);
    expect(stdout).toMatch(/\| lock-based baseline \(SELECT \.\.\. FOR UPDATE\)\s+\|\s+120 \|\s+[1-9][\d,]* \|\s+[1-9][\d,]* \|\s+0 \|/);
    expect(stdout).toMatch(/\| ours \(TicketSafe, the product\)\s+\|\s+120 \|\s+[1-9][\d,]* \|\s+[1-9][\d,]* \|\s+0 \|/);
    expect(readFileSync(join(scratch, 'BENCHMARKS.md'), 'utf8')).toContain('<!-- section:ticketing -->');
  }, 90_000);

  it('bench:orders places orders of 3 http providers, times callbacks to the central status, and leaves no order stuck when one provider fails half its submits', async () => {
    const { code, stdout, stderr } = await runBench('orders.bench.js', {
      BENCH_ORDERS_ORDERS: '12',
      BENCH_ORDERS_WARMUP: '2',
      BENCH_ORDERS_CUSTOMERS: '3',
      BENCH_ORDERS_SAMPLED: '2',
      BENCH_ORDERS_SETTLE_SECONDS: '20',
      // The failing provider trips the circuit: kept short, so its retries go through within the smoke run.
      ORDERS_CIRCUIT_OPEN_MS: '100',
      BEAK_HASH_COST: '1024',
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    // Both runs: 12 orders placed without an error, 2 sampled orders' 5 central changes each seen, every one of the 14 orders terminal.
    expect(stdout).toMatch(/\| every provider answering\s+\|\s+12 \|\s+0 \|.*\|\s+[\d.]+ \/ [\d.]+ \|\s+0 of 14 \|/);
    expect(stdout).toMatch(/\| sushi failing 50% of submits\s+\|\s+12 \|\s+0 \|.*\|\s+[\d.]+ \/ [\d.]+ \|\s+0 of 14 \|/);
    expect(stdout).toMatch(/\[normal\] .*callback → central status in GET \/orders\/:id \(10 changes of 2 orders\)/);
    expect(stdout).toMatch(/\[failing\] .*callback → central status in GET \/orders\/:id \(10 changes of 2 orders\)/);
    // The failing provider did fail calls, and the product got past them.
    expect(stdout).toMatch(/\[failing\] .*"sushi":\{"taken":14,"repeated":\d+,"failed":[1-9]/);
    expect(readFileSync(join(scratch, 'BENCHMARKS.md'), 'utf8')).toContain('<!-- section:orders -->');
  }, 90_000);
});
