import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { addDays, createKnex, utcDateOf } from '@app/core';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import { postings, setUpLedger } from './fixtures/ledger.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

const run = promisify(execFile);
// The platform CLI as apps/cli/main.ts runs it: every context's commands, ledger:reconcile among them.
const cli = join(__dirname, '..', 'dist', 'test', 'fixtures', 'identity-cli.fixture.js');

async function runCli(url: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const TODAY = utcDateOf(new Date().toISOString());
const EARLIER = addDays(TODAY, -2);
const EARLIEST = addDays(TODAY, -5);

/** The reconciliation: the balances recomputed from the postings alone and compared with the read model, both ways. */
describe('ledger: reconciliation', () => {
  let platform: TestApp;
  let staff: Staff;
  let accountant: TestUser;
  let worker: TestUser;
  const http = () => platform.http;
  const admin = () => bearer(staff.admin);
  const posting = postings({ branch: 'B1', account: 'A1', amount: '100.00', description: 'a posting', dateRef: TODAY });
  const sql = async (statement: string, bindings: readonly (string | number)[]) => {
    const knex = createKnex(platform.database.url, 1);
    try {
      await knex.raw(statement, bindings);
    } finally {
      await knex.destroy();
    }
  };

  beforeAll(async () => {
    platform = await startPlatform({ env: { METRICS_TOKEN: 'reconcile-metrics', LEDGER_RECONCILE_MS: '3600000' } });
    staff = await Staff.of(platform.http);
    [accountant, worker] = await Promise.all([staff.hire('accountant'), staff.hire('worker')]);
    await setUpLedger(http(), staff.admin, { accounts: [['B1', 'A1'], ['B1', 'A2'], ['B2', 'A1'], ['B2', 'IDLE']] });
  });

  afterAll(() => platform?.close());

  it('latest is 404 before the first; only an admin reconciles, an accountant reads the latest, a worker neither', async () => {
    expect((await http().get('/ledger/reconciliations/latest').set(admin()).expect(404)).body.error.code).toBe('NOT_FOUND');
    await http().get('/ledger/reconciliations/latest').set(bearer(accountant)).expect(404);
    await http().get('/ledger/reconciliations/latest').set(bearer(worker)).expect(403);
    await http().post('/ledger/reconciliations').set(bearer(accountant)).expect(403);
    await http().post('/ledger/reconciliations').set(bearer(worker)).expect(403);
  });

  it('after postings through HTTP, retroactive ones and a batch included, it finds no difference; latest answers it with at', async () => {
    await http().post('/ledger/postings').set(bearer(accountant)).send(posting({ amount: '1500.50' })).expect(201);
    await http().post('/ledger/postings').set(bearer(accountant)).send(posting({ amount: '0.07', debitCredit: 'D' })).expect(201);
    // Retroactive, accepted after today's: it moves today's accumulated values.
    await http().post('/ledger/postings').set(bearer(accountant)).send(posting({ amount: '20.00', dateRef: EARLIER })).expect(201);
    const items = [
      posting({ account: 'A2', amount: '3.00', dateRef: EARLIEST }),
      posting({ account: 'A2', amount: '4.00', debitCredit: 'D', dateRef: EARLIER }),
      posting({ branch: 'B2', amount: '9999999999999.99' }),
      posting({ branch: 'B2', amount: '9999999999999.99' }),
    ];
    await http().post('/ledger/postings/batch').set(bearer(accountant)).send({ items }).expect(200);
    const { body } = await http().post('/ledger/reconciliations').set(admin()).expect(201);
    // Accounts: B1/A1, B1/A2, B2/A1 and the idle B2/IDLE; days: A1 two, A2 two, B2/A1 one.
    expect(body).toEqual({ reconciliationId: expect.any(String), checkedAccounts: 4, checkedDays: 5, differences: [], position: expect.any(String) });
    const latest = await http().get('/ledger/reconciliations/latest').set(bearer(accountant)).expect(200);
    expect(latest.body).toEqual({ ...body, at: expect.stringMatching(/Z$/) });
  });

  it('finds a value changed in the read model and a day the postings do not make, with exact values; the gauge and the CLI show them', async () => {
    // B1/A1 today: credits 1500.50, debits 0.07; accumulated credits 1520.50 with the retroactive 20.00.
    await sql('update ledger_daily_balances set accumulated_credit = accumulated_credit + 1 where branch = ? and account = ? and date = ?', ['B1', 'A1', TODAY]);
    await sql('insert into ledger_daily_balances values (?, ?, ?, 0, 500, 0, 500)', ['B2', 'IDLE', EARLIER]);
    const { body } = await http().post('/ledger/reconciliations').set(admin()).expect(201);
    expect(body.differences).toEqual([
      { branch: 'B1', account: 'A1', dateRef: TODAY, field: 'accumulatedCredit', expected: '1520.50', actual: '1520.51' },
      { branch: 'B2', account: 'IDLE', dateRef: EARLIER, field: 'totalDebit', expected: null, actual: '0.00' },
      { branch: 'B2', account: 'IDLE', dateRef: EARLIER, field: 'totalCredit', expected: null, actual: '5.00' },
      { branch: 'B2', account: 'IDLE', dateRef: EARLIER, field: 'accumulatedDebit', expected: null, actual: '0.00' },
      { branch: 'B2', account: 'IDLE', dateRef: EARLIER, field: 'accumulatedCredit', expected: null, actual: '5.00' },
    ]);
    expect(body.checkedDays).toBe(6);
    expect((await http().get('/ledger/reconciliations/latest').set(admin()).expect(200)).body.reconciliationId).toBe(body.reconciliationId);
    const metrics = (await http().get('/metrics').set('Authorization', 'Bearer reconcile-metrics').expect(200)).text;
    expect(metrics).toMatch(/^ledger_reconciliation_differences 5$/m);

    const differing = await runCli(platform.database.url, 'ledger:reconcile');
    expect({ code: differing.code, stderr: differing.stderr }).toEqual({ code: 3, stderr: '' });
    expect(differing.stdout).toMatch(/accounts \[#{30}\] 100% 4\/4/);
    expect(differing.stdout).toContain(`B1/A1 ${TODAY} accumulatedCredit: expected 1520.50, actual 1520.51`);
    expect(differing.stdout).toContain('4 accounts, 6 days checked, 5 difference(s).');

    await sql('update ledger_daily_balances set accumulated_credit = accumulated_credit - 1 where branch = ? and account = ? and date = ?', ['B1', 'A1', TODAY]);
    await sql('delete from ledger_daily_balances where branch = ? and account = ?', ['B2', 'IDLE']);
    const agreeing = await runCli(platform.database.url, 'ledger:reconcile', '--json');
    expect(agreeing.code).toBe(0);
    const answer = JSON.parse(agreeing.stdout);
    expect(agreeing.stderr).toMatch(/accounts \[#{30}\] 100% 4\/4/);
    expect(answer).toMatchObject({ checkedAccounts: 4, checkedDays: 5, differences: [] });
    expect((await http().get('/ledger/reconciliations/latest').set(admin()).expect(200)).body.reconciliationId).toBe(answer.reconciliationId);
    expect((await http().get('/metrics').set('Authorization', 'Bearer reconcile-metrics').expect(200)).text).toMatch(/^ledger_reconciliation_differences 0$/m);
  });

  it('a row the read model lacks is a difference of each value, expected against null', async () => {
    await sql('delete from ledger_daily_balances where branch = ? and account = ? and date = ?', ['B1', 'A2', EARLIEST]);
    const { body } = await http().post('/ledger/reconciliations').set(admin()).expect(201);
    expect(body.differences).toEqual([
      { branch: 'B1', account: 'A2', dateRef: EARLIEST, field: 'totalDebit', expected: '0.00', actual: null },
      { branch: 'B1', account: 'A2', dateRef: EARLIEST, field: 'totalCredit', expected: '3.00', actual: null },
      { branch: 'B1', account: 'A2', dateRef: EARLIEST, field: 'accumulatedDebit', expected: '0.00', actual: null },
      { branch: 'B1', account: 'A2', dateRef: EARLIEST, field: 'accumulatedCredit', expected: '3.00', actual: null },
    ]);
    await sql('insert into ledger_daily_balances values (?, ?, ?, 0, 300, 0, 300)', ['B1', 'A2', EARLIEST]);
  });

  it('postings accepted while it runs are not differences', async () => {
    const batch = () => ({ items: Array.from({ length: 200 }, (_, i) => posting({ account: i % 2 ? 'A1' : 'A2', amount: `${i + 1}.00`, dateRef: i % 3 ? TODAY : EARLIER })) });
    const postings = Promise.all([1, 2, 3].map(() => http().post('/ledger/postings/batch').set(bearer(accountant)).send(batch()).expect(200)));
    const reconciliations = Promise.all([1, 2, 3].map(() => http().post('/ledger/reconciliations').set(admin()).expect(201)));
    await postings;
    for (const { body } of await reconciliations) expect(body.differences).toEqual([]);
    expect((await http().post('/ledger/reconciliations').set(admin()).expect(201)).body).toMatchObject({ checkedAccounts: 4, differences: [] });
  });
});

describe('ledger: the periodic reconciliation', () => {
  let platform: TestApp;

  beforeAll(async () => {
    platform = await startPlatform({ env: { LEDGER_RECONCILE_MS: '1000' } });
  });
  afterAll(() => platform?.close());

  it('runs every LEDGER_RECONCILE_MS in the worker, and latest shows it', async () => {
    const staff = await Staff.of(platform.http);
    const latest = await eventually(async () => {
      const answer = await platform.http.get('/ledger/reconciliations/latest').set(bearer(staff.admin));
      return answer.status === 200 ? answer.body : null;
    });
    expect(latest).toEqual({ reconciliationId: expect.any(String), checkedAccounts: 0, checkedDays: 0, differences: [], position: expect.any(String), at: expect.any(String) });
  });
});
