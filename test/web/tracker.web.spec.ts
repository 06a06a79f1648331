import type { Locator, Page } from 'playwright-core';
import { PRICE_DRAW, type PriceDraw } from '../../libs/accounting/src/application/price-task/price-draw';
import { ADMIN, bearer, Staff, uniqueBeak } from '../fixtures/identity.fixture';
import { describeInBrowser, signUp, WebRun } from './support/browser';

jest.setTimeout(150_000);

/**
 * A working day through the web app: a worker's task from the form to the reward in their audit
 * log, a manager's reassignment, the admin's close with its payout email, and the day's analytics.
 *
 * Prices are fixed per title (as the e2e tests script them), so every figure is known:
 *   "Polish the beak scanner"  fee 10, reward 40   created → the worker, completed
 *   "Count the eggs"           fee 10, reward 20   created → the worker, reassigned → the worker, left open
 *   the worker: −10 +40 −10 −10 = 10, paid out at the close; fees 30 − rewards 40 = earnings −10
 */
const PRICES: Record<string, { assignmentFee: number; completionReward: number }> = {
  'Polish the beak scanner': { assignmentFee: 10, completionReward: 40 },
  'Count the eggs': { assignmentFee: 10, completionReward: 20 },
};

describeInBrowser('web: tasks, accounting and analytics', () => {
  let run: WebRun;
  const today = new Date().toISOString().slice(0, 10);
  beforeAll(async () => {
    // The platform's settings come from WebRun's env only, so a web app built elsewhere (WEB_DIR) is passed on.
    run = await WebRun.start('tracker', process.env.WEB_DIR ? { WEB_DIR: process.env.WEB_DIR } : {});
    const draw = run.platform.app.get<symbol, PriceDraw>(PRICE_DRAW, { strict: false });
    const random = draw.draw.bind(draw);
    jest.spyOn(draw, 'draw').mockImplementation((task) => PRICES[task.title] ?? random(task));
  });
  afterAll(() => run?.close());

  it('a worker creates and completes a task and is credited; a manager reassigns; the admin closes the day, sees the email and the analytics', async () => {
    // A worker signs up: the only worker, so every task is theirs.
    const worker = { name: 'Wendy Worker', email: `wendy-${Date.now()}@popug.io`, beak: uniqueBeak() };
    const page = await run.open();
    await signUp(page, worker);

    // Creates a task through the form; a jira id in the title is refused with the API's message.
    await menu(page, 'Create task').click();
    await page.getByRole('heading', { name: 'Create task', level: 1 }).waitFor();
    await run.checkPage(page, 'create-task');
    const title = page.getByLabel('Title', { exact: true });
    await title.fill('[POPUG-7] Polish the beak scanner');
    await page.getByLabel('Description').fill('It squeaks.\nEvery morning.');
    await page.getByRole('button', { name: 'Create task' }).click();
    await textIn(page.getByRole('alert'), 'VALIDATION_FAILED');
    await title.fill('Polish the beak scanner');
    await page.getByLabel('Jira id').fill('POPUG-7');
    await page.getByRole('button', { name: 'Create task' }).click();
    const created = page.getByRole('region', { name: 'Task created' });
    await textIn(created, 'Created “Polish the beak scanner”, assigned to me.');
    await textIn(created.getByTestId('task-assignee'), 'me');
    await textIn(created, 'POPUG-7');
    await run.checkPage(page, 'task-created');

    // Sees it in My tasks and completes it there.
    await menu(page, 'My tasks').click();
    const row = page.getByRole('row').filter({ hasText: 'Polish the beak scanner' });
    await textIn(row, 'open');
    await run.checkPage(page, 'my-tasks');
    await row.getByRole('button', { name: 'Complete “Polish the beak scanner”' }).click();
    await textIn(row, 'completed');
    expect(await row.getByRole('button', { name: /Complete/ }).count()).toBe(0);
    await row.getByRole('link', { name: 'Polish the beak scanner' }).click();
    await page.getByRole('heading', { name: 'Task: Polish the beak scanner' }).waitFor();
    await textIn(page.getByRole('main'), 'completed');
    await run.checkPage(page, 'task');

    // All tasks, to a worker: the assignee is chosen by id (no names for workers), their own shown as "me".
    await menu(page, 'All tasks').click();
    const byId = page.getByLabel('Assignee id');
    await byId.fill('not-an-id');
    await page.getByText('Type the whole user id').waitFor();
    await byId.fill(await page.locator('.tasks-filters code').innerText());
    const mine = page.getByRole('row').filter({ hasText: 'Polish the beak scanner' });
    expect(await mine.getByRole('cell').nth(2).innerText()).toBe('me');
    await run.checkPage(page, 'all-tasks-worker');

    // The reward is in today's audit log as a credit; the balance is the reward less the fee.
    await menu(page, 'My balance').click();
    await page.getByRole('heading', { name: 'My balance and audit log' }).waitFor();
    expect(await page.getByLabel('Day').inputValue()).toBe(today);
    const credit = page.getByRole('row').filter({ hasText: 'credit' });
    await textIn(credit, 'Polish the beak scanner');
    expect(await credit.getByRole('cell').nth(2).innerText()).toBe('40');
    await textIn(page.getByTestId('my-balance'), '30');
    await run.checkPage(page, 'my-balance');
    // The date picker chooses the day: yesterday had nothing.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Day').fill(yesterday);
    await page.getByText(`No entries on ${yesterday}.`).waitFor();

    // A manager, with another task open for the worker, reassigns the open tasks.
    const staff = await Staff.of(run.platform.http);
    const manager = await staff.hire('manager', 'Mona Manager');
    const eggs = await run.platform.http.post('/tasks').set(bearer(manager)).send({ title: 'Count the eggs', description: 'All of them.' }).expect(201);
    const managerPage = await run.openAs(manager);
    await menu(managerPage, 'All tasks').click();
    const eggsRow = managerPage.getByRole('row').filter({ hasText: 'Count the eggs' });
    await textIn(eggsRow, 'Wendy Worker');
    await run.checkPage(managerPage, 'all-tasks');
    await managerPage.getByRole('button', { name: 'Reassign open tasks' }).click();
    await managerPage.getByText('1 task reassigned').waitFor();
    expect((await run.platform.http.get(`/tasks/${eggs.body.taskId}`).set(bearer(manager)).expect(200)).body).toMatchObject({ status: 'open', assigneeId: eggs.body.assigneeId });

    // The admin closes today: the worker is paid 10 and emailed.
    const admin = await run.openAs(ADMIN);
    await menu(admin, 'Close a day').click();
    await run.checkPage(admin, 'close-day');
    await admin.getByRole('button', { name: 'Close the day' }).click();
    await admin.getByText(`Closed ${today}: 1 payout, 10 paid out in all.`).waitFor();
    await menu(admin, 'Payout emails').click();
    const email = admin.getByRole('row').filter({ hasText: worker.email });
    await refreshUntil(admin, email);
    expect(await email.getByRole('cell').nth(2).innerText()).toBe('10');
    await textIn(email, today);
    await run.checkPage(admin, 'payout-emails');

    // The worker's account, as the admin reads it: the payout in the day's audit log.
    await menu(admin, 'Accounts').click();
    await run.checkPage(admin, 'accounts');
    await admin.getByRole('link', { name: 'Audit log of Wendy Worker' }).click();
    const payout = admin.getByRole('row').filter({ hasText: 'payout' });
    expect(await payout.getByRole('cell').nth(2).innerText()).toBe('10');
    await textIn(admin.getByRole('row').filter({ hasText: 'credit' }), '40');
    await run.checkPage(admin, 'account-audit-log');

    // Management earnings of the day: fees 30 less rewards 40.
    await menu(admin, 'Earnings').click();
    await textIn(admin.getByTestId('earnings'), '-10');
    await run.checkPage(admin, 'earnings');

    // Analytics: the completed task is the day's, week's and month's most expensive; the chart has today's earnings.
    await menu(admin, 'Analytics').click();
    for (const period of ['day', 'week', 'month']) {
      const card = admin.getByRole('region', { name: `Most expensive task of the ${period}` });
      await card.getByRole('link', { name: 'Polish the beak scanner' }).waitFor();
      await textIn(card, '40');
    }
    const chart = admin.getByRole('figure', { name: /Management earnings per day/ });
    await chart.getByRole('img').waitFor();
    await chart.getByText('The figures as a table').click();
    const figures = chart.getByRole('region', { name: /figures$/ });
    expect(await figures.getByRole('row').count()).toBe(1 + 14);
    expect(await figures.getByRole('row').filter({ hasText: today }).getByRole('cell').nth(1).innerText()).toBe('-10');
    await textIn(admin.getByTestId('negative-workers'), '0');
    await run.checkPage(admin, 'analytics');
  });
});

function menu(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

async function textIn(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
}

/** The email is requested by a reaction to the close, a moment after it: the page's Refresh button looks again. */
async function refreshUntil(page: Page, locator: Locator): Promise<void> {
  for (let attempt = 0; attempt < 20 && (await locator.count()) === 0; attempt += 1) {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.waitForTimeout(500);
  }
  await locator.first().waitFor({ timeout: 5_000 });
}
