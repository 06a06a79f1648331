import { randomUUID } from 'node:crypto';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';

interface Task {
  taskId: string;
  status: 'open' | 'completed';
  assigneeId: string | null;
}
interface Page {
  items: Task[];
  nextCursor: string | null;
}

/** Paging of the task lists, as the API's convention has it: `?limit=` (default 50, at most 500) and `?cursor=`. */
describe('GET /tasks/mine and GET /tasks pages', () => {
  let platform: TestApp;
  let staff: Staff;
  let ann: TestUser;
  let bob: TestUser;
  let latest = '';

  const http = () => platform.http;
  const seen = (position: string) => {
    if (position > latest) latest = position;
  };
  const createTasks = async (count: number): Promise<Array<{ taskId: string; assigneeId: string }>> => {
    const created: Array<{ taskId: string; assigneeId: string; position: string }> = [];
    for (let i = 0; i < count; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, count - i) }, () =>
          http().post('/tasks').set(bearer(staff.admin)).send({ title: `task ${randomUUID().slice(0, 8)}`, description: 'd' }).expect(201),
        ),
      );
      created.push(...batch.map((r) => r.body));
    }
    created.forEach((c) => seen(c.position));
    return created;
  };
  const mine = async (user: TestUser, query: Record<string, string | number> = {}): Promise<Page> =>
    (await http().get('/tasks/mine').query({ after: latest, ...query }).set(bearer(user)).expect(200)).body;
  const walk = async (page: (cursor: string | null) => Promise<Page>): Promise<{ ids: string[]; pages: Task[][] }> => {
    const pages: Task[][] = [];
    let cursor: string | null = null;
    do {
      const next: Page = await page(cursor);
      pages.push(next.items);
      cursor = next.nextCursor;
    } while (cursor);
    return { ids: pages.flat().map((t) => t.taskId), pages };
  };

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
    ann = await staff.hire('worker');
    // While Ann is the only worker, every task is hers: she has more than a page of them.
    await createTasks(130);
    bob = await staff.hire('worker');
    seen(bob.position);
    await createTasks(30);
  });
  afterAll(() => platform.close());

  it('answers 50 of the caller’s tasks by default, newest first, with a cursor to the next page', async () => {
    const page = await mine(ann);
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(page.items.every((t) => t.assigneeId === ann.userId)).toBe(true);
    const board = await http().get('/tasks').query({ assigneeId: ann.userId, limit: 500, after: latest }).set(bearer(staff.admin)).expect(200);
    expect(page.items.map((t) => t.taskId)).toEqual(board.body.items.slice(0, 50).map((t: Task) => t.taskId));
  });

  it('walks every one of the caller’s tasks once, with no gap or repeat, while tasks are being created', async () => {
    const everything = (await mine(ann, { limit: 500 })).items.map((t) => t.taskId);
    expect(everything.length).toBeGreaterThan(130);
    const creating = createTasks(40);
    const { ids, pages } = await walk((cursor) => mine(ann, { limit: 7, ...(cursor ? { cursor } : {}) }));
    const created = await creating;
    expect(new Set(ids).size).toBe(ids.length);
    // Tasks created during the walk are newer than the first page, so they are before it; everything else is walked.
    const createdIds = new Set(created.map((c) => c.taskId));
    expect(ids.filter((id) => !createdIds.has(id))).toEqual(everything);
    expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
    // Afterwards, the tasks created meanwhile come first, then the ones walked.
    const theirs = created.filter((c) => c.assigneeId === ann.userId).map((c) => c.taskId);
    const after = (await mine(ann, { limit: 500 })).items.map((t) => t.taskId);
    expect(new Set(after.slice(0, theirs.length))).toEqual(new Set(theirs));
    expect(after.slice(theirs.length)).toEqual(everything);
  });

  it('pages within one status, and only the caller’s', async () => {
    const open = (await mine(bob, { status: 'open', limit: 500 })).items;
    const [done] = open;
    await http().post(`/tasks/${done.taskId}/complete`).set(bearer(bob)).expect(200).then((r) => seen(r.body.position));
    const { ids } = await walk((cursor) => mine(bob, { status: 'open', limit: 3, ...(cursor ? { cursor } : {}) }));
    expect(ids).toEqual(open.slice(1).map((t) => t.taskId));
    const completed = await mine(bob, { status: 'completed', limit: 1 });
    expect(completed).toEqual({ items: [expect.objectContaining({ taskId: done.taskId, status: 'completed' })], nextCursor: null });
  });

  it('accepts limits from 1 to 500', async () => {
    expect((await mine(ann, { limit: 1 })).items).toHaveLength(1);
    expect((await mine(ann, { limit: 500 })).items.length).toBeGreaterThan(130);
  });

  it('GET /tasks answers 50 by default and up to 500', async () => {
    const page = (await http().get('/tasks').query({ after: latest }).set(bearer(staff.admin)).expect(200)).body as Page;
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).toEqual(expect.any(String));
    const all = (await http().get('/tasks').query({ after: latest, limit: 500 }).set(bearer(staff.admin)).expect(200)).body as Page;
    expect(all.items.length).toBeGreaterThanOrEqual(200);
    expect(all.nextCursor).toBeNull();
  });

  describe.each(['/tasks/mine', '/tasks'])('%s refuses with 400 VALIDATION_FAILED', (path) => {
    it.each([
      ['limit=0', { limit: '0' }, 'limit'],
      ['limit=501', { limit: '501' }, 'limit'],
      ['limit=0x10', { limit: '0x10' }, 'limit'],
      ['limit=2.5', { limit: '2.5' }, 'limit'],
      ['limit=1e2', { limit: '1e2' }, 'limit'],
      ['limit=-1', { limit: '-1' }, 'limit'],
      ['an empty limit', { limit: '' }, 'limit'],
      ['limit=ten', { limit: 'ten' }, 'limit'],
      ['two limits', { limit: ['1', '2'] }, 'limit'],
      ['a cursor this API never returned', { cursor: 'bm90IGEgY3Vyc29y' }, 'cursor'],
      ['a cursor that is not base64url', { cursor: 'not a cursor!' }, 'cursor'],
      ['a 5,000-character cursor', { cursor: 'A'.repeat(5000) }, 'cursor'],
      ['status=done', { status: 'done' }, 'status'],
    ])('%s', async (_, query, field) => {
      const response = await http().get(path).query(query).set(bearer(ann)).expect(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.details.fields).toHaveProperty(field);
    });
  });

  it('documents the paging of both lists: integer limit 1..500, default 50, a cursor, a page with nextCursor, and a summary', async () => {
    const document = (await http().get('/docs-json').expect(200)).body;
    for (const path of ['/tasks/mine', '/tasks']) {
      const operation = document.paths[path].get;
      expect(operation.summary).toEqual(expect.any(String));
      const limit = operation.parameters.find((p: { name: string }) => p.name === 'limit');
      expect(limit).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } });
      expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['status', 'cursor', 'after']));
      const schema = operation.responses['200'].content['application/json'].schema;
      const page = document.components.schemas[schema.$ref.split('/').pop()];
      expect(Object.keys(page.properties)).toEqual(expect.arrayContaining(['items', 'nextCursor']));
    }
  });
});
