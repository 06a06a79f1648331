import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { ADMIN, bearer, Staff, type TestUser } from '../fixtures/identity.fixture';
import { eventually } from '../support/wait';
import { describeInBrowser, WebRun } from './support/browser';

jest.setTimeout(120_000);

const TODAY = new Date().toISOString().slice(0, 10);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describeInBrowser('web: the FLOW ledger', () => {
  let run: WebRun;
  let staff: Staff;
  let accountant: TestUser;
  beforeAll(async () => {
    run = await WebRun.start('ledger');
    staff = await Staff.of(run.platform.http);
    accountant = await staff.hire('accountant', 'Anna Accountant');
  });
  afterAll(() => run?.close());

  it('an accountant opens an account, posts, reads its balance, chart and statement, uploads a batch; the admin follows the feed, reconciles and registers a webhook', async () => {
    // The admin registers the event code the postings use.
    const admin = await run.openAs(ADMIN);
    await admin.getByRole('link', { name: 'Event codes' }).click();
    const register = admin.getByRole('form', { name: 'Register an event code' });
    await register.getByLabel('Code', { exact: true }).fill('1001');
    await register.getByLabel('Description').fill('Cash movement');
    await register.getByRole('button', { name: 'Register event code' }).click();
    await admin.getByRole('cell', { name: 'Cash movement' }).waitFor();
    await admin.getByRole('button', { name: 'Deactivate event code 1001' }).click();
    await admin.getByRole('cell', { name: 'inactive' }).waitFor();
    await admin.getByRole('button', { name: 'Activate event code 1001' }).click();
    await admin.getByRole('button', { name: 'Deactivate event code 1001' }).waitFor();
    await run.checkPage(admin, 'event-codes');

    // The accountant opens an account through the form; it is listed, linking to its page.
    const page = await run.openAs(accountant);
    expect(await page.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Ledger accounts' }).click();
    const open = page.getByRole('form', { name: 'Open an account' });
    await open.getByLabel('Branch').fill('0001');
    await open.getByLabel('Account').fill('12345-6');
    await open.getByLabel('Holder').fill('Ada Lovelace');
    await open.getByRole('button', { name: 'Open account' }).click();
    await page.getByRole('cell', { name: 'Ada Lovelace' }).waitFor();
    expect(await page.getByRole('button', { name: /^Block account/ }).count()).toBe(0);
    await run.checkPage(page, 'accounts');

    // A credit and a debit through the posting form, each with its own generated trace key.
    await page.getByRole('link', { name: '12345-6', exact: true }).click();
    await page.getByRole('heading', { name: 'Account 0001/12345-6' }).waitFor();
    await page.getByRole('link', { name: 'Post to this account' }).click();
    const form = page.getByRole('form', { name: 'One posting' });
    expect(await form.getByLabel('Branch').inputValue()).toBe('0001');
    expect(await form.getByLabel('Date').inputValue()).toBe(TODAY);
    const credit = await post(page, { amount: '150.00', side: 'Credit (C)', description: 'Salary' });
    const debit = await post(page, { amount: '49.50', side: 'Debit (D)', description: 'Groceries' });
    expect(credit).toMatch(UUID);
    expect(debit).toMatch(UUID);
    expect(debit).not.toBe(credit);
    await run.checkPage(page, 'posting');

    // The account's page: the balance, the chart with its figures and the statement, as the API's strings.
    await page.getByTestId('ledger-posting-result').getByRole('link', { name: '0001/12345-6' }).click();
    await expectText(page.getByTestId('ledger-balance'), '100.50');
    expect(await page.getByTestId('ledger-accumulated-credit').textContent()).toBe('150.00');
    expect(await page.getByTestId('ledger-accumulated-debit').textContent()).toBe('49.50');
    const chartTitle = `Balance from ${addDays(TODAY, -30)} to ${TODAY}`;
    const chart = page.getByRole('figure', { name: chartTitle });
    expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
    await chart.getByText('The figures as a table').click();
    // Every day of the period: those before the postings at zero, today with the postings' values.
    const figures = await rowsOf(chart.getByRole('region', { name: `${chartTitle}, figures` }).getByRole('table'));
    expect(figures.length).toBe(1 + 31);
    expect([figures[0], figures[1], figures[30], figures[31]]).toEqual([
      ['Day', 'Balance', 'Accumulated debit', 'Accumulated credit'],
      [addDays(TODAY, -30), '0', '0', '0'],
      [addDays(TODAY, -1), '0', '0', '0'],
      [TODAY, '100.5', '49.5', '150'],
    ]);
    expect((await rowsOf(page.getByRole('table', { name: /^Days with postings/ })))[1]).toEqual([TODAY, '49.50', '150.00', '49.50', '150.00', '100.50']);
    const statement = (await rowsOf(page.getByRole('table', { name: /^Statement from/ }))).slice(1);
    expect(statement.map((row) => [row[0], row[1], row[2], row[3], row[6]])).toEqual([
      [TODAY, 'Salary', '1001', 'C 150.00', credit],
      [TODAY, 'Groceries', '1001', 'D 49.50', debit],
    ]);
    await run.checkPage(page, 'account');
    // As of yesterday, before the postings, every figure is zero.
    await page.getByLabel('As of the end of').fill(addDays(TODAY, -1));
    await expectText(page.getByText(`Credits on ${addDays(TODAY, -1)}`), 'Credits');
    expect(await page.getByTestId('ledger-balance').textContent()).toBe('0.00');
    expect(await page.getByTestId('ledger-accumulated-credit').textContent()).toBe('0.00');

    // The admin follows the live feed while the accountant uploads a batch: one item is accepted, one refused.
    const streaming = admin.waitForResponse((response) => response.url().includes('/ledger/stream'));
    await admin.getByRole('link', { name: 'Live feed' }).click();
    await streaming;
    await page.getByRole('link', { name: 'Postings' }).click();
    const csv = [
      'branch,account,amount,debitCredit,eventCode,description,dateRef',
      `0001,12345-6,10.00,C,1001,"Refund, shop",${TODAY}`,
      `0001,NOPE,5.00,D,1001,Nobody's,${TODAY}`,
    ].join('\n');
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'batch.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Upload 2 postings' }).click();
    const results = page.getByRole('table', { name: 'Batch results' });
    await results.waitFor();
    const rows = (await rowsOf(results)).slice(1);
    expect(rows.map((row) => row.slice(0, 4))).toEqual([
      ['1', '0001/12345-6', 'C 10.00', '201 accepted'],
      ['2', '0001/NOPE', 'D 5.00', '422 refused'],
    ]);
    expect(rows[1]![4]).toContain('LEDGER_ACCOUNT_NOT_FOUND');
    expect(rows.map((row) => row[5])).toEqual([expect.stringMatching(UUID), expect.stringMatching(UUID)]);
    await expectText(page.getByRole('status'), '1 of 2 accepted, 1 refused.');
    await run.checkPage(page, 'posting-batch');

    const feed = admin.getByRole('list', { name: 'Applied postings, newest first' });
    await expectText(feed.getByRole('listitem'), 'Refund, shop');
    expect(await feed.getByRole('listitem').allTextContents()).toEqual([expect.stringMatching(/^C 10\.00 0001\/12345-6 · Refund, shop · event code 1001/)]);
    expect(await feed.getAttribute('aria-live')).toBe('polite');
    await run.checkPage(admin, 'feed');

    // The admin blocks the account with a reason, and unblocks it.
    await admin.getByRole('link', { name: 'Ledger accounts' }).click();
    await admin.getByRole('button', { name: 'Block account 0001/12345-6' }).click();
    await admin.getByLabel('Reason').fill('Under review');
    await admin.getByRole('button', { name: 'Block account', exact: true }).click();
    await admin.getByRole('button', { name: 'Unblock account 0001/12345-6' }).click();
    await admin.getByRole('button', { name: 'Block account 0001/12345-6' }).waitFor();

    // The admin reconciles: the balances shown agree with the postings.
    await admin.getByRole('link', { name: 'Reconciliation' }).click();
    await expectText(admin.getByRole('region', { name: 'Last reconciliation' }), 'Never run.');
    await admin.getByRole('button', { name: 'Run reconciliation' }).click();
    await expectText(admin.getByRole('region', { name: 'Run a reconciliation' }), '0 differences');
    await expectText(admin.getByRole('region', { name: 'Last reconciliation' }), '0 differences');
    await run.checkPage(admin, 'reconciliation');

    // The admin registers a webhook; this browser remembers it, as the API lists none.
    await admin.getByRole('link', { name: 'Webhooks' }).click();
    await admin.getByLabel('Address (URL)').fill('http://127.0.0.1:9/ledger-events');
    await admin.getByLabel('Secret').fill('s3cret');
    await admin.getByRole('button', { name: 'Register webhook' }).click();
    const webhookId = (await admin.getByTestId('ledger-webhook-id').textContent()) ?? '';
    expect(webhookId).toMatch(UUID);
    await expectText(admin.getByRole('main'), 'No delivery yet');
    await run.checkPage(admin, 'webhooks');
    await admin.goto('/#/ledger/webhooks');
    await admin.reload();
    await admin.getByRole('cell', { name: webhookId }).waitFor();

    // A posting applied now makes a delivery; fetch never connects to port 9, so it fails at once: a dead letter, which the admin retries.
    const traceKey = randomUUID();
    const body = { traceKey, branch: '0001', account: '12345-6', amount: '1.00', debitCredit: 'C', eventCode: 1001, description: 'After the webhook', dateRef: TODAY };
    await run.platform.http.post('/ledger/postings').set(bearer(accountant)).send(body).expect(201);
    const deliveries = (status: string) => run.platform.http.get(`/ledger/webhooks/${webhookId}/deliveries`).query({ status }).set(bearer(staff.admin));
    const [delivery] = await eventually(async () => ((await deliveries('failed')).body as { deliveryId: string }[]).length === 1 && (await deliveries('failed')).body, 15_000, 'a dead letter');
    await admin.getByRole('button', { name: `Deliveries of http://127.0.0.1:9/ledger-events` }).click();
    await admin.getByRole('heading', { name: `Every delivery of webhook ${webhookId}` }).waitFor();
    await admin.getByLabel('Status').selectOption('failed');
    await admin.getByRole('button', { name: 'Show deliveries' }).click();
    const deadLetters = admin.getByRole('table', { name: 'Failed (dead letters)' });
    await deadLetters.getByRole('cell', { name: traceKey }).waitFor();
    expect((await rowsOf(deadLetters))[1]!.slice(1, 4)).toEqual([traceKey, 'failed', '1']);
    await admin.getByRole('button', { name: `Retry delivery ${delivery.deliveryId}` }).click();
    await expectText(admin.getByRole('status'), `Delivery ${delivery.deliveryId} is sent again`);
    await admin.getByLabel('Status').selectOption('delivered');
    await admin.getByRole('button', { name: 'Show deliveries' }).click();
    await expectText(admin.getByRole('main'), 'No delivered delivery.');
  });
});

/** Fills the posting form and posts; answers the trace key the form showed, once the answer names it. */
async function post(page: Page, { amount, side, description }: { amount: string; side: string; description: string }): Promise<string> {
  const form = page.getByRole('form', { name: 'One posting' });
  const traceKey = (await page.getByTestId('ledger-trace-key').textContent()) ?? '';
  await form.getByLabel('Amount').fill(amount);
  await form.getByLabel(side).check();
  expect(await form.getByLabel('Event code').inputValue()).toBe('1001');
  await form.getByLabel('Description').fill(description);
  await form.getByRole('button', { name: 'Post', exact: true }).click();
  await expectText(page.getByTestId('ledger-posting-result'), traceKey);
  return traceKey;
}

async function rowsOf(table: Locator): Promise<string[][]> {
  const rows = await table.getByRole('row').all();
  return Promise.all(rows.map(async (row) => (await row.getByRole('columnheader').count()) ? row.getByRole('columnheader').allTextContents() : row.getByRole('cell').allTextContents()));
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
}
