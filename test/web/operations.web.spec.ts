import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Locator, Page } from 'playwright-core';
import { KNEX } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { ADMIN, bearer, Staff, type TestUser } from '../fixtures/identity.fixture';
import { eventually } from '../support/wait';
import { describeInBrowser, WebRun } from './support/browser';

jest.setTimeout(180_000);

interface StoredEvent {
  eventId: string;
  type: string;
  streamName: string;
  revision: number;
  position: string;
  causedEvents?: { eventId: string; type: string; streamName: string }[];
}

const PROJECTION = 'task_board';

describeInBrowser('web: operations (projections, process managers, event browser)', () => {
  let run: WebRun;
  let staff: Staff;
  let manager: TestUser;

  const http = () => run.platform.http;

  /** A task created through the API with a trace key, and the two events that request wrote. */
  async function createTask(traceKey: string) {
    const created = await http()
      .post('/tasks')
      .set(bearer(manager))
      .set('X-Trace-Key', traceKey)
      .send({ title: `ops ${randomUUID().slice(0, 8)}`, description: 'browse me' })
      .expect(201);
    const stream = `task-${created.body.taskId}`;
    const events: StoredEvent[] = (await http().get(`/streams/${stream}`).set(bearer(staff.admin)).expect(200)).body.items;
    return { ...created.body, stream, events } as { taskId: string; position: string; stream: string; events: StoredEvent[] };
  }

  beforeAll(async () => {
    // The test app reads only the env it is given: a web app built elsewhere (WEB_DIR) is passed on.
    const env: Record<string, string> = { PROCESS_MANAGER_RETRY_MS: '100', PROCESS_MANAGER_MAX_RETRY_MS: '500' };
    run = await WebRun.start('operations', process.env.WEB_DIR ? { ...env, WEB_DIR: process.env.WEB_DIR } : env);
    staff = await Staff.of(run.platform.http);
    [manager] = await Promise.all([staff.hire('manager'), staff.hire('worker')]);
  });
  afterAll(() => run?.close());

  it('an admin rebuilds a projection and sees it back at running; the table follows new events on its own', async () => {
    const page = await run.openAs(ADMIN);
    await page.getByRole('link', { name: 'Projections', exact: true }).click();
    await page.getByRole('heading', { name: 'Projections', level: 1 }).waitFor();
    const status = page.getByTestId(`projection-status-${PROJECTION}`);
    await expectText(status, 'running');
    await run.checkPage(page, 'projections');

    // The page polls: a task created meanwhile moves the board's position on screen, without a reload.
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: PROJECTION, exact: true }) });
    const shownPosition = () => row.locator('td:nth-child(4)').textContent();
    const { position } = await createTask(randomUUID());
    // Its checkpoint is at least the event it applied (it may move past events it does not handle).
    expect((await shownPosition())! < position).toBe(true);
    await eventually(async () => ((await shownPosition()) ?? '') >= position, 15_000, 'the position on screen to move');

    const knex = run.platform.app.get<Knex>(KNEX);
    const generation = async () => (await knex('projection_state').where({ name: PROJECTION }).first()).active_generation as number;
    const before = await generation();
    await page.getByRole('button', { name: `Rebuild ${PROJECTION}` }).click();
    await expectText(page.getByRole('status').filter({ hasText: `Rebuild of ${PROJECTION} asked` }), `generation ${before + 1}`);
    await eventually(async () => (await generation()) === before + 1, 30_000, 'the rebuild to swap in');
    // Shown only from a report read after the ask that no longer has a rebuild under way.
    await expectText(status, `rebuilt: generation ${before + 1} serves`);
    expect(await status.textContent()).toMatch(/^running/);
    await run.checkPage(page, 'projections-rebuilt');
  });

  it('lists the process managers', async () => {
    const page = await run.openAs(ADMIN);
    await page.getByRole('link', { name: 'Process managers', exact: true }).click();
    const table = page.getByRole('table', { name: 'Process managers' });
    await table.waitFor();
    const names: string[] = (await http().get('/process-managers').set(bearer(staff.admin)).expect(200)).body.map((pm: { name: string }) => pm.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) await table.getByRole('cell', { name, exact: true }).waitFor();
    await run.checkPage(page, 'process-managers');
  });

  it('browses what one request wrote: the log, the event with its trace key and caused events, and the streams', async () => {
    const traceKey = randomUUID();
    // Enough for two pages of the log (each task is two events, and what reactions write).
    for (let i = 0; i < 15; i++) await createTask(randomUUID());
    const task = await createTask(traceKey);
    const [created] = task.events;
    // The process manager prices the task in reaction: wait for its event, as the page will show it.
    const caused = await eventually(async () => {
      const shown: StoredEvent = (await http().get(`/events/${created.eventId}`).set(bearer(staff.admin)).expect(200)).body;
      return shown.causedEvents?.find((c) => c.type === 'TaskPriced');
    });

    const page = await run.openAs(ADMIN);
    await page.getByRole('link', { name: 'Event log', exact: true }).click();
    const log = page.getByRole('table', { name: 'The event log' });
    await log.getByRole('link', { name: task.stream }).first().waitFor();
    await run.checkPage(page, 'event-log');

    // More than a page of events: the next page goes on from where the first ended, and back.
    const positions = () => columnTexts(log, 5);
    const first = await positions();
    expect(first).toHaveLength(50);
    expect(first).toEqual([...first].sort().reverse());
    await page.getByRole('button', { name: 'Next page' }).click();
    await expectText(page.getByRole('navigation', { name: 'Pages' }), 'Page 2');
    await eventually(async () => (await positions())[0] !== first[0]);
    const second = await positions();
    expect(second[0] < first[first.length - 1]).toBe(true);
    expect(second).toEqual([...second].sort().reverse());
    await page.getByRole('button', { name: 'Previous page' }).click();
    await eventually(async () => (await positions())[0] === first[0]);

    // Filtered by type; the next page holds older events of that type only.
    await page.getByLabel('Event type').fill('TaskCreated');
    await page.getByRole('button', { name: 'Show' }).click();
    const filtered = page.getByRole('table', { name: 'Events of type TaskCreated' });
    await filtered.getByRole('link', { name: task.stream }).waitFor();
    const types = await filtered.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(new Set(types)).toEqual(new Set(['TaskCreated']));
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);

    // The event page: where it is, its trace key, and the events written in reaction to it.
    await filtered.getByRole('row').filter({ hasText: task.stream }).getByRole('link', { name: 'TaskCreated' }).click();
    await page.getByRole('heading', { name: 'Event TaskCreated' }).waitFor();
    await expectText(page.getByTestId('trace-key'), traceKey);
    const facts = page.locator('dl').first();
    await expectText(facts, created.position);
    await expectText(page.getByRole('region', { name: 'Data' }), '"description": "browse me"');
    await expectText(page.getByRole('region', { name: 'Metadata' }), `"traceKey": "${traceKey}"`);
    expect(await page.getByText('a request (no causing event)').count()).toBe(1);
    const causedList = page.getByRole('list', { name: 'Caused events' });
    await causedList.getByRole('link', { name: caused.streamName }).waitFor();
    await run.checkPage(page, 'event');

    // Follow it to the event it caused, which links back to its cause and carries the same trace key.
    await causedList.getByRole('link', { name: 'TaskPriced' }).click();
    await page.getByRole('heading', { name: 'Event TaskPriced' }).waitFor();
    await expectText(page.getByTestId('trace-key'), traceKey);
    await page.getByRole('link', { name: `the event ${created.eventId}` }).click();
    await page.getByRole('heading', { name: 'Event TaskCreated' }).waitFor();

    // Its stream, newest first by default, then oldest first.
    await page.getByRole('link', { name: task.stream }).click();
    await page.getByRole('heading', { name: `Stream ${task.stream}` }).waitFor();
    const streamTable = page.getByRole('table', { name: `Events of stream ${task.stream}` });
    await streamTable.waitFor();
    expect(await columnTexts(streamTable, 2)).toEqual(['TaskAssigned', 'TaskCreated']);
    await run.checkPage(page, 'stream');
    await page.getByRole('link', { name: 'From the first' }).click();
    await expectText(page.getByRole('heading', { name: 'Oldest first' }), 'Oldest first');
    expect(await columnTexts(streamTable, 2)).toEqual(['TaskCreated', 'TaskAssigned']);

    // Any stream by its name: the one the reaction wrote to; and one that does not exist.
    await openStream(page, caused.streamName);
    await page.getByRole('table', { name: `Events of stream ${caused.streamName}` }).getByRole('link', { name: 'TaskPriced' }).waitFor();
    await openStream(page, `task-${randomUUID()}`);
    await expectText(page.getByRole('alert'), 'NOT_FOUND');

    await page.getByRole('link', { name: 'Streams', exact: true }).click();
    await page.getByRole('heading', { name: 'Streams', level: 1 }).waitFor();
    await run.checkPage(page, 'streams');
  });

  it('is not offered to anyone but an admin', async () => {
    const page = await run.openAs({ email: manager.email, beak: manager.beak });
    expect(await page.getByRole('link', { name: 'Event log' }).count()).toBe(0);
    await page.goto('/#/operations/events');
    await expectText(page.getByRole('main'), 'This page is for admin only.');
  });

  // Last: the event it writes is one no process manager can handle.
  it('an admin skips the event a process manager keeps failing on, after confirming', async () => {
    // A task assigned that was never created: the accounts have no price to charge, and retry.
    const taskId = randomUUID();
    const poison = { id: randomUUID(), type: 'TaskAssigned', data: { taskId, assigneeId: manager.userId, previousAssigneeId: null, reshuffleId: null, assignedAt: new Date().toISOString() } };
    await run.platform.app.get<EventStore>(EVENT_STORE).appendToStream(`task-${taskId}`, [poison], { expectedRevision: 'no_stream' });
    const reports = async (): Promise<{ name: string; status: string; failingEvent: { eventId: string } | null }[]> =>
      (await http().get('/process-managers').set(bearer(staff.admin)).expect(200)).body;
    const failing = await eventually(async () => (await reports()).find((pm) => pm.status === 'retrying' && pm.failingEvent?.eventId === poison.id), 20_000, 'a process manager to fail on it');

    const page = await run.openAs(ADMIN);
    await page.getByRole('link', { name: 'Process managers', exact: true }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: failing.name, exact: true }) });
    await expectText(row, 'retrying');
    await row.getByRole('link', { name: 'TaskAssigned' }).waitFor();
    const skip = page.getByRole('button', { name: `Skip the failing event of ${failing.name}` });
    const confirmation = page.getByRole('region', { name: `Skip an event for ${failing.name}?` });

    // Asking is not skipping: cancelled, nothing happens.
    await skip.click();
    await confirmation.waitFor();
    await run.checkPage(page, 'process-manager-skip');
    await confirmation.getByRole('button', { name: 'Cancel' }).click();
    await confirmation.waitFor({ state: 'detached' });
    expect((await reports()).find((pm) => pm.name === failing.name)).toMatchObject({ status: 'retrying', failingEvent: { eventId: poison.id, skipRequested: false } });

    await skip.click();
    await confirmation.getByRole('button', { name: 'Skip the event' }).click();
    await expectText(page.getByRole('status').filter({ hasText: failing.name }), `moves past TaskAssigned (${poison.id})`);
    await eventually(async () => (await reports()).find((pm) => pm.name === failing.name && pm.failingEvent?.eventId !== poison.id), 20_000, 'the skip');
    await eventually(async () => !((await row.textContent()) ?? '').includes('retrying'), 15_000, 'the row to stop retrying');
  });

  // Last of all: the board halts on the event it writes, for good.
  it('a halted projection shows why, and an admin retries it', async () => {
    const taskId = randomUUID();
    const broken = { id: randomUUID(), type: 'TaskCreated', data: { taskId, title: null, jiraId: null, description: null, createdAt: new Date().toISOString() } };
    await run.platform.app.get<EventStore>(EVENT_STORE).appendToStream(`task-${taskId}`, [broken], { expectedRevision: 'no_stream' });
    const page = await run.openAs(ADMIN);
    await page.getByRole('link', { name: 'Projections', exact: true }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: PROJECTION, exact: true }) });
    await expectText(page.getByTestId(`projection-status-${PROJECTION}`), 'halted');
    const { lastError } = (await http().get('/projections').set(bearer(staff.admin)).expect(200)).body.find((p: { name: string }) => p.name === PROJECTION);
    expect(lastError).toEqual(expect.any(String));
    await expectText(row, lastError.slice(0, 40));
    // Only the halted one offers a retry.
    expect(await page.getByRole('button', { name: /^Retry / }).count()).toBe(1);
    await run.checkPage(page, 'projections-halted');
    await row.getByRole('button', { name: `Retry ${PROJECTION}` }).click();
    await expectText(page.getByRole('status').filter({ hasText: PROJECTION }), `${PROJECTION} retries the event it halted on.`);
  });
});

async function openStream(page: Page, name: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Open a stream' });
  await form.getByLabel('Stream name').fill(name);
  await form.getByRole('button', { name: 'Open stream' }).click();
  await page.getByRole('heading', { name: `Stream ${name}` }).waitFor();
}

async function columnTexts(table: Locator, column: number): Promise<string[]> {
  await table.locator('tbody tr').first().waitFor();
  return table.locator(`tbody tr td:nth-child(${column})`).allTextContents();
}

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}
