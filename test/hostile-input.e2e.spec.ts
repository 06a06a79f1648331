import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { bearer, Staff, startPlatform, type TestUser, uniqueBeak } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';

/**
 * The reproductions of what a hostile client did to the whole platform: each request below once
 * halted a projection, was carried out after answering an error, or answered 500.
 */
describe('hostile input through the whole platform', () => {
  let platform: TestApp;
  let staff: Staff;
  let worker: TestUser;
  const http = () => platform.http;
  const store = () => platform.app.get<EventStore>(EVENT_STORE);

  async function projectionsHealthy(): Promise<void> {
    const report = (await http().get('/projections').set(bearer(staff.admin)).expect(200)).body as Array<{ name: string; status: string }>;
    expect(report.filter((p) => p.status === 'halted')).toEqual([]);
    await http().get('/health').expect(200);
  }

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(http());
    worker = await staff.hire('worker');
  });
  afterAll(() => platform.close());

  it('an anonymous registration with NUL or a lone surrogate in the name is 400, and the platform keeps working', async () => {
    for (const name of ['a\u0000b', 'a\ud800b', 'a\udc00', '  ']) {
      const response = await http().post('/auth/register').send({ name, email: `${randomUUID().slice(0, 8)}@popug.io`, beak: uniqueBeak() }).expect(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(response.body.error.details.fields)).toEqual(['name']);
    }
    const registered = await http().post('/auth/register').send({ name: 'Ann 🐦', email: `${randomUUID().slice(0, 8)}@popug.io`, beak: uniqueBeak() }).expect(201);
    const task = await http().post('/tasks').set(bearer(worker)).send({ title: 'still works', description: '' }).expect(201);
    await http().get(`/tasks/${task.body.taskId}`).query({ after: task.body.position }).set(bearer(worker)).expect(200);
    await http().get('/users').query({ after: registered.body.position }).set(bearer(staff.admin)).expect(200);
    await projectionsHealthy();
  });

  it.each([
    ['NUL in the title', { title: 'fix\u0000login', description: '' }, 'title'],
    ['a lone surrogate in the description', { title: 'fix login', description: 'a\ud800' }, 'description'],
    ['a title of only whitespace', { title: ' \t ', description: '' }, 'title'],
    ['a 90 KB jira id', { title: 'fix login', jiraId: `POPUG-${'1'.repeat(90_000)}`, description: '' }, 'jiraId'],
    ['a bell in the title', { title: 'ding\u0007', description: '' }, 'title'],
  ])('a task with %s is 400 naming the field, and no projection halts', async (_, body, field) => {
    const before = (await store().readAll({ maxCount: 100_000 })).length;
    const response = await http().post('/tasks').set(bearer(worker)).send(body).expect((r) => expect([400, 413]).toContain(r.status));
    if (response.status === 400) expect(Object.keys(response.body.error.details.fields)).toContain(field);
    expect((await store().readAll({ maxCount: 100_000 })).length).toBe(before);
    await projectionsHealthy();
  });

  it('a close with a text/plain body is 415 and closes nothing, not even today', async () => {
    const response = await http()
      .post('/accounting/billing-cycles/close')
      .set(bearer(staff.admin))
      .set('Content-Type', 'text/plain')
      .send('{"date":"2020-01-01"}')
      .expect(415);
    expect(response.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const today = new Date().toISOString().slice(0, 10);
    expect(await store().readStream(`billing-cycle-${today}`)).toEqual([]);
    expect(await store().readStream('billing-cycle-2020-01-01')).toEqual([]);
  });

  it('dates outside 2000..2100 are 400; a billing day before the first event of the log is 422', async () => {
    for (const date of ['0000-01-01', '0001-01-01', '1969-12-31', '9999-12-31', '2101-01-01']) {
      const close = await http().post('/accounting/billing-cycles/close').set(bearer(staff.admin)).send({ date }).expect(400);
      expect(close.body.error.details.fields).toHaveProperty('date');
      for (const period of ['day', 'week', 'month']) {
        const analytics = await http().get('/analytics/most-expensive-task').query({ period, date }).set(bearer(staff.admin)).expect(400);
        expect(analytics.body.error.details.fields).toHaveProperty('date');
      }
      await http().get('/accounting/me/audit-log').query({ date }).set(bearer(worker)).expect(400);
    }
    const week = await http().get('/analytics/most-expensive-task').query({ period: 'week', date: '2000-01-01' }).set(bearer(staff.admin)).expect(200);
    expect(week.body).toMatchObject({ from: '1999-12-27', to: '2000-01-02' });
    const early = await http().post('/accounting/billing-cycles/close').set(bearer(staff.admin)).send({ date: '2001-01-01' }).expect(422);
    expect(early.body.error.code).toBe('BILLING_DATE_BEFORE_LOG');
    expect(await store().readStream('billing-cycle-2001-01-01')).toEqual([]);
  });

  it('an endless ?after= is 503 READ_MODEL_LAGGING with Retry-After, not an error', async () => {
    const response = await http()
      .get('/tasks/mine')
      .query({ after: 'ffffffffffffffff-ffffffffffffffff' })
      .set(bearer(worker))
      .expect(503);
    expect(response.body.error.code).toBe('READ_MODEL_LAGGING');
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  }, 20_000);
});
