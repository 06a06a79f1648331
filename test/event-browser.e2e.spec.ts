import { randomUUID } from 'node:crypto';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

interface StoredEvent {
  eventId: string;
  type: string;
  streamName: string;
  revision: number;
  position: string;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: { correlationId: string | null; causationId: string | null; userId: string | null; traceKey: string | null; schemaVersion: number | null };
}
interface EventPage {
  items: StoredEvent[];
  nextCursor: string | null;
}
interface EventWithCauses extends StoredEvent {
  causedEvents: { eventId: string; type: string; streamName: string }[];
}

/** The admin's event browser: GET /events, /events/:eventId and /streams/:stream over the whole platform. */
describe('event browser over HTTP', () => {
  let platform: TestApp;
  let admin: TestUser;
  let manager: TestUser;
  let worker: TestUser;
  /** A task the manager created with a trace key, and what that request answered. */
  let task: { taskId: string; assigneeId: string; position: string; traceKey: string; correlationId: string };

  const http = () => platform.http;
  const asAdmin = async <T>(path: string, query: Record<string, string | number> = {}): Promise<T> =>
    (await http().get(path).query(query).set(bearer(admin)).expect(200)).body as T;

  async function createTask(traceKey = randomUUID()) {
    const response = await http()
      .post('/tasks')
      .set(bearer(manager))
      .set('X-Trace-Key', traceKey)
      .send({ title: `browse ${randomUUID().slice(0, 8)}`, description: 'peck the log' })
      .expect(201);
    return { ...response.body, traceKey, correlationId: response.headers['x-correlation-id'] as string };
  }

  /** Every page of the log (or of one type) from the head, `limit` at a time. */
  async function allPages(limit: number, query: Record<string, string> = {}): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    let before: string | null = null;
    do {
      const page: EventPage = await asAdmin<EventPage>('/events', { ...query, limit, ...(before ? { before } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      if (page.nextCursor) expect(page.items).toHaveLength(limit);
      events.push(...page.items);
      before = page.nextCursor;
    } while (before);
    return events;
  }

  beforeAll(async () => {
    platform = await startPlatform();
    const staff = await Staff.of(platform.http);
    admin = staff.admin;
    [manager, worker] = await Promise.all([staff.hire('manager'), staff.hire('worker')]);
    task = await createTask();
  });
  afterAll(() => platform?.close());

  it('lists the log newest first: the events a request wrote carry its trace key, correlation id and user', async () => {
    const page = await asAdmin<EventPage>('/events', { limit: 500 });
    const positions = page.items.map((e) => e.position);
    expect(positions).toEqual([...positions].sort().reverse());
    expect(new Set(positions).size).toBe(positions.length);
    const written = page.items.filter((e) => e.streamName === `task-${task.taskId}`);
    expect(written.map((e) => [e.type, e.revision])).toEqual([
      ['TaskAssigned', 1],
      ['TaskCreated', 0],
    ]);
    for (const event of written) {
      expect(event.metadata).toMatchObject({ traceKey: task.traceKey, correlationId: task.correlationId, userId: manager.userId, causationId: null });
      expect(event.metadata.schemaVersion).toEqual(expect.any(Number));
      expect(Date.parse(event.recordedAt)).not.toBeNaN();
    }
    expect(written[0].position).toBe(task.position);
    // ?after=, as every query takes it, with the position the command answered.
    const after = await asAdmin<EventPage>('/events', { after: task.position, limit: 2, type: 'TaskAssigned' });
    expect(after.items[0].position).toBe(task.position);
    expect(written[1].data).toMatchObject({ taskId: task.taskId, description: 'peck the log' });
  });

  it('pages through the log with nextCursor: every event once, in order, the last page says null', async () => {
    await Promise.all([createTask(), createTask(), createTask()]);
    const paged = await allPages(7);
    // Reactions may have appended at the head meanwhile: the pages are the log from where they started.
    const whole = await asAdmin<EventPage>('/events', { limit: 500 });
    expect(whole.nextCursor).toBeNull();
    const start = whole.items.findIndex((e) => e.eventId === paged[0].eventId);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(paged.map((e) => e.eventId)).toEqual(whole.items.slice(start).map((e) => e.eventId));
    expect(paged.length).toBeGreaterThan(14);
    // A page of exactly the events that remain still ends the list.
    const lastTwo = paged[paged.length - 3].position;
    expect(await asAdmin<EventPage>('/events', { before: lastTwo, limit: 2 })).toEqual({ items: paged.slice(-2), nextCursor: null });
  });

  it('a position past any log as ?before= (the largest a position can write) is the newest page, with or without a type', async () => {
    const newest = (await asAdmin<EventPage>('/events', { limit: 5 })).items.map((e) => e.eventId);
    for (const before of ['ffffffffffffffff-ffffffffffffffff', 'c71acb56eda320f2-88f60bfc75c224bd']) {
      expect((await asAdmin<EventPage>('/events', { before, limit: 5 })).items.map((e) => e.eventId)).toEqual(newest);
      expect((await asAdmin<EventPage>('/events', { before, type: 'TaskCreated', limit: 2 })).items).toHaveLength(2);
    }
  });

  it('filters by type, paging within the type', async () => {
    const created = await allPages(1, { type: 'TaskCreated' });
    expect(created.length).toBeGreaterThanOrEqual(4);
    expect(new Set(created.map((e) => e.type))).toEqual(new Set(['TaskCreated']));
    expect(created.map((e) => e.streamName)).toContain(`task-${task.taskId}`);
    const all = (await asAdmin<EventPage>('/events', { limit: 500 })).items.filter((e) => e.type === 'TaskCreated');
    expect(created.map((e) => e.eventId)).toEqual(all.map((e) => e.eventId));
    expect(await asAdmin<EventPage>('/events', { type: 'NoSuchType' })).toEqual({ items: [], nextCursor: null });
  });

  it('shows one event with the events process managers wrote in reaction to it, which name it as their cause', async () => {
    const [created, assigned] = (await asAdmin<{ items: StoredEvent[] }>(`/streams/task-${task.taskId}`)).items;
    const withCauses = await eventually(async () => {
      const shown = await asAdmin<EventWithCauses>(`/events/${created.eventId}`);
      return shown.causedEvents.some((c) => c.type === 'TaskPriced') ? shown : null;
    });
    const { causedEvents, ...event } = withCauses;
    expect(event).toEqual(created);
    expect(causedEvents).toContainEqual({ eventId: expect.any(String), type: 'TaskPriced', streamName: `task-pricing-${task.taskId}` });

    const debit = await eventually(async () => {
      const shown = await asAdmin<EventWithCauses>(`/events/${assigned.eventId}`);
      return shown.causedEvents.find((c) => c.type === 'AccountDebited');
    });
    expect(debit.streamName).toMatch(new RegExp(`^account-${task.assigneeId}-\\d{4}-\\d{2}-\\d{2}$`));

    // The caused event names its cause and carries the request's correlation and trace key on.
    const priced = causedEvents.find((c) => c.type === 'TaskPriced')!;
    const reaction = await asAdmin<EventWithCauses>(`/events/${priced.eventId}`);
    expect(reaction).toMatchObject({
      type: 'TaskPriced',
      streamName: priced.streamName,
      metadata: { causationId: created.eventId, correlationId: task.correlationId, traceKey: task.traceKey },
    });
    expect(reaction.position > created.position).toBe(true);
  });

  it('reads a stream forwards, backwards, from a revision, bounded', async () => {
    const { taskId } = await createTask();
    // The only worker has every task.
    await http().post(`/tasks/${taskId}/complete`).set(bearer(worker)).expect(200);
    const stream = `task-${taskId}`;
    const read = async (query: Record<string, string | number> = {}) =>
      (await asAdmin<{ items: StoredEvent[] }>(`/streams/${stream}`, query)).items.map((e) => [e.revision, e.type]);
    const forwards = await read();
    expect(forwards).toEqual([
      [0, 'TaskCreated'],
      [1, 'TaskAssigned'],
      [2, 'TaskCompleted'],
    ]);
    const last = 2;
    expect(await read({ direction: 'forwards' })).toEqual(forwards);
    expect(await read({ direction: 'backwards' })).toEqual([...forwards].reverse());
    expect(await read({ fromRevision: 1 })).toEqual(forwards.slice(1));
    expect(await read({ fromRevision: 0, direction: 'backwards' })).toEqual([[0, 'TaskCreated']]);
    expect(await read({ fromRevision: 1, direction: 'backwards', limit: 1 })).toEqual([[1, 'TaskAssigned']]);
    expect(await read({ limit: 1 })).toEqual([[0, 'TaskCreated']]);
    expect(await read({ direction: 'backwards', limit: 1 })).toEqual([forwards[last]]);
    // Past the end of a stream that exists is an empty page, not a 404.
    expect(await read({ fromRevision: last + 1 })).toEqual([]);
    const items = (await asAdmin<{ items: StoredEvent[] }>(`/streams/${stream}`)).items;
    expect(items.every((e) => e.streamName === stream)).toBe(true);
  });

  it('answers 404 NOT_FOUND for an event or a stream that does not exist', async () => {
    for (const path of [`/events/${randomUUID()}`, `/streams/task-${randomUUID()}`, '/streams/nothing%20here']) {
      const response = await http().get(path).set(bearer(admin)).expect(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('answers 400 VALIDATION_FAILED naming the field for bad input', async () => {
    const cases: [string, Record<string, string>, string][] = [
      ['/events/not-a-uuid', {}, 'eventId'],
      ['/events', { limit: '0' }, 'limit'],
      ['/events', { limit: '501' }, 'limit'],
      ['/events', { limit: 'ten' }, 'limit'],
      ['/events', { before: 'yesterday' }, 'before'],
      ['/events', { type: '' }, 'type'],
      ['/events', { cursor: 'x' }, 'cursor'],
      ['/events', { after: 'now' }, 'after'],
      [`/streams/task-${task.taskId}`, { direction: 'sideways' }, 'direction'],
      [`/streams/task-${task.taskId}`, { fromRevision: '-1' }, 'fromRevision'],
      [`/streams/task-${task.taskId}`, { limit: '1.5' }, 'limit'],
      [`/streams/${'s'.repeat(501)}`, {}, 'stream'],
    ];
    for (const [path, query, field] of cases) {
      const response = await http().get(path).query(query).set(bearer(admin));
      expect({ path, query, status: response.status, code: response.body.error?.code }).toEqual({ path, query, status: 400, code: 'VALIDATION_FAILED' });
      expect(response.body.error.details.fields).toHaveProperty(field);
    }
  });

  it('is for admins only: 401 without a token, 403 FORBIDDEN for anyone else', async () => {
    const [created] = (await asAdmin<{ items: StoredEvent[] }>(`/streams/task-${task.taskId}`)).items;
    for (const path of ['/events', `/events/${created.eventId}`, `/streams/task-${task.taskId}`]) {
      expect((await http().get(path).expect(401)).body.error.code).toBe('UNAUTHENTICATED');
      for (const user of [manager, worker]) {
        expect((await http().get(path).set(bearer(user)).expect(403)).body.error.code).toBe('FORBIDDEN');
      }
    }
  });
});
