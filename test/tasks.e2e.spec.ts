import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Response } from 'supertest';
import { CommandRunner, ConsistencyWaiter, KNEX } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import type { Role } from '@app/identity';
import type { TaskAssigned } from '@app/tasks/contract';
import { WorkflowWorkerService } from '../apps/worker/workflow-worker.service';
import { taskDecider, taskStream } from '../libs/tasks/src/domain/task.decider';
import { bearer, Staff, startPlatform, type TestUser } from './fixtures/identity.fixture';
import type { TestApp } from './support/test-app';
import { eventually } from './support/wait';

type Actor = Role | 'anonymous';
const ACTORS: Actor[] = ['anonymous', 'admin', 'manager', 'accountant', 'worker', 'customer'];

interface Task {
  taskId: string;
  title: string;
  jiraId: string | null;
  description: string;
  status: 'open' | 'completed';
  assigneeId: string | null;
  createdAt: string;
  completedAt: string | null;
}

describe('tasks over HTTP', () => {
  let platform: TestApp;
  let staff: Staff;
  let cast: Record<Role, TestUser>;
  let workers: TestUser[];
  /** The newest position a step wrote, for ?after= on queries. */
  let latest = '';

  const http = () => platform.http;
  const store = () => platform.app.get<EventStore>(EVENT_STORE);
  const seen = (position: string) => {
    if (position > latest) latest = position;
    return position;
  };
  const workerById = (userId: string | null) => workers.find((w) => w.userId === userId)!;

  async function createTask(by: TestUser = cast.manager, body: Record<string, unknown> = {}): Promise<{ taskId: string; assigneeId: string; position: string }> {
    const response = await http()
      .post('/tasks')
      .set(bearer(by))
      .send({ title: `task ${randomUUID().slice(0, 8)}`, description: 'peck the keyboard', ...body })
      .expect(201);
    seen(response.body.position);
    return response.body;
  }

  async function board(query: Record<string, string | number> = {}): Promise<{ items: Task[]; nextCursor: string | null }> {
    return (await http().get('/tasks').query({ after: latest, limit: 100, ...query }).set(bearer(cast.admin)).expect(200)).body;
  }

  async function allTasks(query: Record<string, string> = {}): Promise<Task[]> {
    const tasks: Task[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Task[]; nextCursor: string | null } = await board({ ...query, ...(cursor ? { cursor } : {}) });
      tasks.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return tasks;
  }

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
    const [manager, accountant, customer, ...hired] = await Promise.all([
      staff.hire('manager'),
      staff.hire('accountant'),
      staff.hire('customer'),
      staff.hire('worker'),
      staff.hire('worker'),
      staff.hire('worker'),
    ]);
    cast = { admin: staff.admin, manager, accountant, worker: hired[0], customer };
    workers = hired;
    [manager, accountant, customer, ...hired].forEach((u) => seen(u.position));
  });
  afterAll(() => platform.close());

  describe('POST /tasks', () => {
    it('creates the task and assigns it at once to a worker', async () => {
      const created = await createTask(cast.accountant, { title: 'fix login', jiraId: 'POPUG-12', description: 'the beak scanner times out' });
      expect(created).toEqual({ taskId: expect.stringMatching(/^[0-9a-f-]{36}$/), assigneeId: expect.any(String), position: expect.any(String) });
      expect(workers.map((w) => w.userId)).toContain(created.assigneeId);
      const task = await http().get(`/tasks/${created.taskId}`).query({ after: created.position }).set(bearer(cast.accountant)).expect(200);
      expect(task.body).toEqual({
        taskId: created.taskId,
        title: 'fix login',
        jiraId: 'POPUG-12',
        description: 'the beak scanner times out',
        status: 'open',
        assigneeId: created.assigneeId,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        completedAt: null,
      });
    });

    it('draws among all workers, and only workers: never a customer nor other staff', async () => {
      const tasks = await Promise.all(Array.from({ length: 24 }, () => createTask()));
      const assignees = new Set(tasks.map((t) => t.assigneeId));
      expect([...assignees].every((id) => workers.some((w) => w.userId === id))).toBe(true);
      expect(assignees.has(cast.customer.userId)).toBe(false);
      expect(assignees.size).toBeGreaterThan(1);
    });

    it('never draws a user whose worker role was taken away before the request', async () => {
      const former = await staff.hire('worker');
      // A task first, so the list of workers the api keeps between commands holds the former worker.
      await createTask();
      await http().patch(`/auth/users/${former.userId}/role`).set(bearer(cast.admin)).send({ role: 'manager' }).expect(200);
      const tasks = await Promise.all(Array.from({ length: 12 }, () => createTask()));
      expect(tasks.map((t) => t.assigneeId)).not.toContain(former.userId);
    });

    it.each([
      ['a title holding [', { title: '[POPUG-1] fix login', description: 'd' }, 'title'],
      ['a title holding ]', { title: 'fix login ]', description: 'd' }, 'title'],
      ['no title', { description: 'd' }, 'title'],
      ['no description', { title: 'fix login' }, 'description'],
      ['a jira id that is not an issue key', { title: 'fix login', description: 'd', jiraId: '[POPUG-1]' }, 'jiraId'],
      ['an unknown field', { title: 'fix login', description: 'd', assigneeId: randomUUID() }, 'assigneeId'],
    ])('answers 400 VALIDATION_FAILED for %s', async (_, body, field) => {
      const response = await http().post('/tasks').set(bearer(cast.manager)).send(body).expect(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.details.fields).toHaveProperty(field);
    });
  });

  describe('POST /tasks/:taskId/complete', () => {
    it('completes the task for its assignee', async () => {
      const { taskId, assigneeId } = await createTask();
      const completed = await http().post(`/tasks/${taskId}/complete`).set(bearer(workerById(assigneeId))).expect(200);
      expect(completed.body).toEqual({ taskId, position: expect.any(String) });
      const task = await http().get(`/tasks/${taskId}`).query({ after: seen(completed.body.position) }).set(bearer(cast.manager)).expect(200);
      expect(task.body).toMatchObject({ status: 'completed', assigneeId, completedAt: expect.stringMatching(/Z$/) });
    });

    it('refuses anyone but the assignee with 403 NOT_ASSIGNEE', async () => {
      const { taskId, assigneeId } = await createTask();
      for (const user of [...workers.filter((w) => w.userId !== assigneeId), cast.admin, cast.manager]) {
        const response = await http().post(`/tasks/${taskId}/complete`).set(bearer(user)).expect(403);
        expect(response.body.error.code).toBe('NOT_ASSIGNEE');
      }
    });

    it('completes a task once: again is 409 TASK_ALREADY_COMPLETED', async () => {
      const { taskId, assigneeId } = await createTask();
      await http().post(`/tasks/${taskId}/complete`).set(bearer(workerById(assigneeId))).expect(200);
      const again = await http().post(`/tasks/${taskId}/complete`).set(bearer(workerById(assigneeId))).expect(409);
      expect(again.body.error.code).toBe('TASK_ALREADY_COMPLETED');
    });

    it('of two completions at the same time, exactly one wins', async () => {
      const { taskId, assigneeId } = await createTask();
      const assignee = workerById(assigneeId);
      const attempts = await Promise.all([1, 2].map(() => http().post(`/tasks/${taskId}/complete`).set(bearer(assignee))));
      expect(attempts.map((r) => r.status).sort()).toEqual([200, 409]);
      const events = await store().readStream(taskStream(taskId));
      expect(events.map((e) => e.type)).toEqual(['TaskCreated', 'TaskAssigned', 'TaskCompleted']);
    });

    it('answers 404 NOT_FOUND for an unknown task and 400 for a malformed id', async () => {
      expect((await http().post(`/tasks/${randomUUID()}/complete`).set(bearer(workers[0])).expect(404)).body.error.code).toBe('NOT_FOUND');
      expect((await http().post('/tasks/42/complete').set(bearer(workers[0])).expect(400)).body.error.details.fields).toHaveProperty('taskId');
    });
  });

  describe('POST /tasks/reassign', () => {
    it('gives every open task a random worker, once, and leaves completed tasks alone', async () => {
      const done = await createTask();
      await http().post(`/tasks/${done.taskId}/complete`).set(bearer(workerById(done.assigneeId))).expect(200);
      await createTask();
      const open = await allTasks({ status: 'open' });
      const reassigned = await http().post('/tasks/reassign').set(bearer(cast.manager)).expect(200);
      expect(reassigned.body).toEqual({ reassigned: open.length, position: expect.any(String) });
      seen(reassigned.body.position);
      const events = await store().readAll({ filter: { eventTypes: ['TaskAssigned'] }, maxCount: 100_000 });
      const byReshuffle = events.filter((e) => (e.data as TaskAssigned['data']).reshuffleId !== null).map((e) => e.data as TaskAssigned['data']);
      expect(byReshuffle.map((d) => d.taskId).sort()).toEqual(open.map((t) => t.taskId).sort());
      expect(new Set(byReshuffle.map((d) => d.reshuffleId)).size).toBe(1);
      const after = await allTasks();
      expect(after.find((t) => t.taskId === done.taskId)).toMatchObject({ status: 'completed', assigneeId: done.assigneeId });
      for (const task of after.filter((t) => t.status === 'open')) {
        const event = byReshuffle.find((d) => d.taskId === task.taskId)!;
        expect(task.assigneeId).toBe(event.assigneeId);
        expect(workers.map((w) => w.userId)).toContain(task.assigneeId);
      }
    });

    it('chooses only users who are workers when it runs', async () => {
      const leaving = await staff.hire('worker');
      workers.push(leaving);
      await Promise.all(Array.from({ length: 8 }, () => createTask()));
      await http().patch(`/auth/users/${leaving.userId}/role`).set(bearer(cast.admin)).send({ role: 'accountant' }).expect(200);
      workers.pop();
      const reassigned = await http().post('/tasks/reassign').set(bearer(cast.admin)).expect(200);
      seen(reassigned.body.position);
      expect(await allTasks({ status: 'open', assigneeId: leaving.userId })).toEqual([]);
    });

    it('is resumable: a reshuffle whose process died is finished by the worker, reassigning each task once', async () => {
      const tasks = await Promise.all(Array.from({ length: 5 }, () => createTask()));
      const reshuffleId = randomUUID();
      // What a process leaves behind when it dies after reassigning one task, in a reshuffle
      // recorded in its own stream, as they were before the one `reshuffles` stream.
      const started = await store().appendToStream(`reshuffle-${reshuffleId}`, [
        {
          id: randomUUID(),
          type: 'TaskReshuffleStarted',
          data: { reshuffleId, startedBy: cast.manager.userId, startedAt: new Date(Date.now() - 120_000).toISOString() },
          metadata: { schemaVersion: 1 },
        },
      ]);
      await platform.app.get(CommandRunner).run(taskDecider, taskStream(tasks[0].taskId), {
        type: 'ReassignTask',
        data: { taskId: tasks[0].taskId, assigneeId: workers[0].userId, reshuffleId, assignedAt: new Date().toISOString() },
      });
      await platform.app.get(ConsistencyWaiter).waitFor(['task_reshuffles', 'task_board'], started.position, 5000);
      const open = await allTasks({ status: 'open' });

      // Started two minutes ago, its window is over: the worker carries it out (on its own, or now).
      const workflows = platform.app.get(WorkflowWorkerService);
      await workflows.runDue(new Date());

      const events = await store().readAll({ filter: { eventTypes: ['TaskAssigned'] }, fromPosition: started.position, maxCount: 100_000 });
      const reached = events.map((e) => e.data as TaskAssigned['data']).filter((d) => d.reshuffleId === reshuffleId);
      expect(reached.map((d) => d.taskId).sort()).toEqual(open.map((t) => t.taskId).sort());
      expect((await store().readStream(`reshuffle-${reshuffleId}`)).map((e) => e.type)).toEqual(['TaskReshuffleStarted', 'TaskReshuffleFinished']);
      const finished = (await store().readStream(`reshuffle-${reshuffleId}`)).at(-1)!;
      await platform.app.get(ConsistencyWaiter).waitFor(['task_reshuffles'], seen(finished.position), 5000);
      // Finished, it is watched no more.
      expect((await workflows.runDue(new Date(Date.now() + 3_600_000))).filter((timer) => timer.workflow === 'reshuffle-resumer')).toEqual([]);
    });
  });

  describe('GET /tasks', () => {
    it('pages through the whole board, newest first, without repeats or gaps', async () => {
      await Promise.all(Array.from({ length: 5 }, () => createTask()));
      const everything = (await board({ limit: 100 })).items;
      const pages: Task[][] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Task[]; nextCursor: string | null } = await board({ limit: 7, ...(cursor ? { cursor } : {}) });
        pages.push(page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(pages.flat().map((t) => t.taskId)).toEqual(everything.map((t) => t.taskId));
      expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
    });

    it('shows the newest task first', async () => {
      const first = await createTask();
      const second = await createTask();
      expect((await board({ limit: 2 })).items.map((t) => t.taskId)).toEqual([second.taskId, first.taskId]);
    });

    it('keeps a cursor valid while tasks are added between pages', async () => {
      const first = await board({ limit: 3 });
      await createTask();
      const second = await board({ limit: 3, cursor: first.nextCursor! });
      const everything = (await board({ limit: 100 })).items.map((t) => t.taskId);
      expect(second.items.map((t) => t.taskId)).toEqual(everything.slice(4, 7));
    });

    it('filters by status and by assignee', async () => {
      const completed = await board({ status: 'completed' });
      expect(completed.items.length).toBeGreaterThan(0);
      expect(completed.items.every((t) => t.status === 'completed' && t.completedAt !== null)).toBe(true);
      const worker = workers[1];
      const theirs = await allTasks({ assigneeId: worker.userId, status: 'open' });
      expect(theirs.length).toBeGreaterThan(0);
      expect(theirs.every((t) => t.assigneeId === worker.userId && t.status === 'open')).toBe(true);
    });

    it.each([
      [{ status: 'done' }, 'status'],
      [{ assigneeId: 'ann' }, 'assigneeId'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 501 }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ cursor: 'bm90IGEgY3Vyc29y' }, 'cursor'],
      [{ colour: 'blue' }, 'colour'],
    ])('answers 400 VALIDATION_FAILED for %j', async (query, field) => {
      const response = await http().get('/tasks').query(query).set(bearer(cast.admin)).expect(400);
      expect(response.body.error.details.fields).toHaveProperty(field);
    });
  });

  describe('GET /tasks/mine', () => {
    it('lists exactly the caller’s tasks, optionally by status', async () => {
      const worker = workers[2];
      const mine = (await http().get('/tasks/mine').query({ after: latest, limit: 500 }).set(bearer(worker)).expect(200)).body.items as Task[];
      const expected = await allTasks({ assigneeId: worker.userId });
      expect(mine.map((t) => t.taskId)).toEqual(expected.map((t) => t.taskId));
      const open = (await http().get('/tasks/mine').query({ status: 'open', after: latest, limit: 500 }).set(bearer(worker)).expect(200)).body.items as Task[];
      expect(open.map((t) => t.taskId)).toEqual(expected.filter((t) => t.status === 'open').map((t) => t.taskId));
    });

    it('checks the caller and the input before it waits for ?after=: no token is 401, a malformed after 400, at once', async () => {
      const ahead = 'ffffffffffffffff-ffffffffffffffff';
      expect((await http().get('/tasks/mine').query({ after: ahead }).expect(401)).body.error.code).toBe('UNAUTHENTICATED');
      expect((await http().get('/tasks/mine').query({ after: 'nope' }).expect(401)).body.error.code).toBe('UNAUTHENTICATED');
      expect((await http().get('/tasks/mine').query({ after: 'nope' }).set(bearer(workers[0])).expect(400)).body.error.details.fields).toHaveProperty('after');
    });

    it('is empty for someone who is not a worker', async () => {
      expect((await http().get('/tasks/mine').query({ after: latest }).set(bearer(cast.accountant)).expect(200)).body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('GET /tasks/:taskId', () => {
    it('answers 404 NOT_FOUND for an unknown task and 400 for a malformed id', async () => {
      expect((await http().get(`/tasks/${randomUUID()}`).set(bearer(cast.worker)).expect(404)).body.error.code).toBe('NOT_FOUND');
      expect((await http().get('/tasks/nope').set(bearer(cast.admin)).expect(400)).body.error.details.fields).toHaveProperty('taskId');
    });
  });
  describe('TaskCreated of schema version 1', () => {
    async function appendV1(title: string): Promise<{ taskId: string; assignee: TestUser; position: string }> {
      const taskId = randomUUID();
      const assignee = workers[0];
      const at = '2019-03-01T10:00:00.000Z';
      const { position } = await store().appendToStream(taskStream(taskId), [
        { id: randomUUID(), type: 'TaskCreated', data: { taskId, title, description: 'from before jira ids had a field', createdAt: at }, metadata: { schemaVersion: 1 } },
        {
          id: randomUUID(),
          type: 'TaskAssigned',
          data: { taskId, assigneeId: assignee.userId, previousAssigneeId: null, reshuffleId: null, assignedAt: at },
          metadata: { schemaVersion: 1 },
        },
      ]);
      return { taskId, assignee, position: seen(position) };
    }

    it('is read as version 2: the jira id comes out of the title, and the stored event stays as it was', async () => {
      const { taskId, position } = await appendV1('[POPUG-12] fix login');
      const task = await http().get(`/tasks/${taskId}`).query({ after: position }).set(bearer(cast.manager)).expect(200);
      expect(task.body).toMatchObject({ taskId, title: 'fix login', jiraId: 'POPUG-12', status: 'open', createdAt: '2019-03-01T10:00:00.000Z' });
      const [stored] = await store().readStream(taskStream(taskId));
      expect(stored.data).toMatchObject({ title: '[POPUG-12] fix login' });
      expect(stored.data).not.toHaveProperty('jiraId');
      expect(stored.metadata.schemaVersion).toBe(1);
    });

    it('keeps a v1 title without a jira id as it was', async () => {
      const { taskId, position } = await appendV1('feed the parrots');
      const task = await http().get(`/tasks/${taskId}`).query({ after: position }).set(bearer(cast.manager)).expect(200);
      expect(task.body).toMatchObject({ title: 'feed the parrots', jiraId: null });
    });

    it('works on the write side too: the assignee completes a v1 task', async () => {
      const { taskId, assignee } = await appendV1('[POPUG-13] oil the beak scanner');
      const completed = await http().post(`/tasks/${taskId}/complete`).set(bearer(assignee)).expect(200);
      const task = await http().get(`/tasks/${taskId}`).query({ after: seen(completed.body.position) }).set(bearer(assignee)).expect(200);
      expect(task.body).toMatchObject({ title: 'oil the beak scanner', jiraId: 'POPUG-13', status: 'completed' });
    });
  });

  describe('who may call what', () => {
    const loggedIn: Actor[] = ['admin', 'manager', 'accountant', 'worker', 'customer'];
    const as = (user: TestUser | undefined) => (user ? bearer(user) : {});
    const caller = (actor: Actor) => (actor === 'anonymous' ? undefined : cast[actor]);
    const endpoints: Array<{ name: string; allowed: Actor[]; status: number; deniedCode?: string; call: (actor: Actor) => Promise<Response> }> = [
      {
        name: 'POST /tasks',
        allowed: loggedIn,
        status: 201,
        call: async (actor) => http().post('/tasks').set(as(caller(actor))).send({ title: 'matrix', description: 'd' }),
      },
      { name: 'POST /tasks/reassign', allowed: ['manager', 'admin'], status: 200, call: async (actor) => http().post('/tasks/reassign').set(as(caller(actor))) },
      {
        name: 'POST /tasks/:taskId/complete',
        // Only the assignee, and only workers are assignees: other roles are refused by the rule, not the role.
        allowed: ['worker'],
        status: 200,
        deniedCode: 'NOT_ASSIGNEE',
        call: async (actor) => {
          const { taskId, assigneeId } = await createTask();
          return http().post(`/tasks/${taskId}/complete`).set(as(actor === 'worker' ? workerById(assigneeId) : caller(actor)));
        },
      },
      { name: 'GET /tasks', allowed: loggedIn, status: 200, call: async (actor) => http().get('/tasks').set(as(caller(actor))) },
      { name: 'GET /tasks/mine', allowed: loggedIn, status: 200, call: async (actor) => http().get('/tasks/mine').set(as(caller(actor))) },
      {
        name: 'GET /tasks/:taskId',
        allowed: loggedIn,
        status: 200,
        call: async (actor) => {
          const { taskId, position } = await createTask();
          return http().get(`/tasks/${taskId}`).query({ after: position }).set(as(caller(actor)));
        },
      },
    ];
    const cases = endpoints.flatMap((endpoint) => ACTORS.map((actor) => [endpoint.name, actor, endpoint] as const));

    it.each(cases)('%s as %s', async (_, actor, endpoint) => {
      const response = await endpoint.call(actor);
      if (endpoint.allowed.includes(actor)) {
        expect(response.status).toBe(endpoint.status);
      } else if (actor === 'anonymous') {
        expect(response.status).toBe(401);
        expect(response.body.error.code).toBe('UNAUTHENTICATED');
      } else {
        expect(response.status).toBe(403);
        expect(response.body.error.code).toBe(endpoint.deniedCode ?? 'FORBIDDEN');
      }
    });
  });

  describe('replay', () => {
    it('rebuilding the task read models from the log gives the same rows', async () => {
      const knex = platform.app.get<Knex>(KNEX);
      const names = ['task_board', 'task_reshuffles'];
      await platform.app.get(ConsistencyWaiter).waitFor(names, latest, 5000);
      const snapshot = async () => ({ board: await knex('task_board').orderBy('task_id'), reshuffles: await knex('task_reshuffles').orderBy('reshuffle_id') });
      const before = await snapshot();
      expect(before.board.length).toBeGreaterThan(50);
      for (const name of names) await http().post(`/projections/${name}/rebuild`).set(bearer(cast.admin)).expect(202);
      await eventually(async () => {
        const reports: Array<{ name: string; status: string; rebuild: unknown }> = (await http().get('/projections').set(bearer(cast.admin)).expect(200)).body;
        return reports.filter((r) => names.includes(r.name)).every((r) => r.status === 'running' && r.rebuild === null);
      });
      expect(await snapshot()).toEqual(before);
    });
  });

  it('documents every task endpoint in the OpenAPI document', async () => {
    const document = (await http().get('/docs-json').expect(200)).body;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/tasks', '/tasks/reassign', '/tasks/{taskId}/complete', '/tasks/mine', '/tasks/{taskId}']),
    );
    expect(document.paths['/tasks'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['status', 'assigneeId', 'limit', 'cursor', 'after']),
    );
  });
});

describe('tasks with nobody in role worker', () => {
  let platform: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    platform = await startPlatform();
    staff = await Staff.of(platform.http);
  });
  afterAll(() => platform.close());

  it('POST /tasks answers 422 NO_WORKERS and writes nothing', async () => {
    const response = await platform.http.post('/tasks').set(bearer(staff.admin)).send({ title: 'fix login', description: 'd' }).expect(422);
    expect(response.body.error.code).toBe('NO_WORKERS');
    expect(await platform.app.get<EventStore>(EVENT_STORE).readAll({ filter: { eventTypes: ['TaskCreated'] } })).toEqual([]);
  });

  it('POST /tasks/reassign reassigns nothing when nothing is open, and answers 422 NO_WORKERS, writing nothing, when tasks are open', async () => {
    expect((await platform.http.post('/tasks/reassign').set(bearer(staff.admin)).expect(200)).body).toEqual({ reassigned: 0, position: expect.any(String) });
    const worker = await staff.hire('worker');
    await platform.http.post('/tasks').set(bearer(staff.admin)).send({ title: 'fix login', description: 'd' }).expect(201);
    await platform.http.patch(`/auth/users/${worker.userId}/role`).set(bearer(staff.admin)).send({ role: 'manager' }).expect(200);
    const response = await platform.http.post('/tasks/reassign').set(bearer(staff.admin)).expect(422);
    expect(response.body.error.code).toBe('NO_WORKERS');
    const ends = await platform.app.get<EventStore>(EVENT_STORE).readAll({ filter: { eventTypes: ['TaskReshuffleStarted', 'TaskReshuffleFinished'] } });
    expect(ends.map((e) => e.type)).toEqual(['TaskReshuffleStarted', 'TaskReshuffleFinished']);
  });
});
