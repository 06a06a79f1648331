import { randomInt, randomUUID } from 'node:crypto';
import { type Command, DeciderCommandHandler, EmmettError, type Event, projections, STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, pongoSingleStreamProjection } from '@event-driven-io/emmett-postgresql';
import { rawSql } from '@event-driven-io/dumbo';
import { pongoClient } from '@event-driven-io/pongo';
import express, { type NextFunction, type Request, type Response } from 'express';

/**
 * bench:http's peer: the two endpoints the comparison covers (create a task with a random worker
 * as its assignee; list my open tasks), built the way a team would build them on Emmett: a
 * decider run by `DeciderCommandHandler` on emmett-postgresql's event store, and the "my open
 * tasks" read model as an inline pongo projection, written in the append's transaction. Plain
 * Express, because @event-driven-io/emmett-expressjs has no 0.42 release to match the store.
 *
 * Run by bench/emmett-peer.ts as a process of its own: PORT, DATABASE_URL and BENCH_PEER_WORKERS
 * (the workers' ids, comma-separated: the worker list is known at start). The bearer token is the
 * caller's user id, unchecked: no token verification and no user lookup, which favours the peer.
 */

type TaskCreated = Event<'TaskCreated', { taskId: string; title: string; description: string; assigneeId: string; createdAt: string }>;
type CreateTask = Command<'CreateTask', { taskId: string; title: string; description: string; assigneeId: string; now: Date }>;
type Task = { status: 'empty' } | { status: 'open'; assigneeId: string };

class TaskAlreadyExists extends EmmettError {}

const evolve = (state: Task, event: TaskCreated): Task => {
  switch (event.type) {
    case 'TaskCreated':
      return { status: 'open', assigneeId: event.data.assigneeId };
  }
};

const decide = (command: CreateTask, state: Task): TaskCreated => {
  switch (command.type) {
    case 'CreateTask': {
      if (state.status !== 'empty') throw new TaskAlreadyExists(`task ${command.data.taskId} exists`);
      const { now, ...task } = command.data;
      return { type: 'TaskCreated', data: { ...task, createdAt: now.toISOString() } };
    }
  }
};

const handle = DeciderCommandHandler({ decide, evolve, initialState: (): Task => ({ status: 'empty' }) });

type OpenTask = {
  taskId: string;
  title: string;
  assigneeId: string;
  status: 'open';
  createdAt: string;
};

const OPEN_TASKS = 'open_tasks';

const openTasksProjection = pongoSingleStreamProjection<OpenTask, TaskCreated>({
  collectionName: OPEN_TASKS,
  canHandle: ['TaskCreated'],
  evolve: (_document: OpenTask | null, { data }: TaskCreated): OpenTask => ({ taskId: data.taskId, title: data.title, assigneeId: data.assigneeId, status: 'open', createdAt: data.createdAt }),
});

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL!;
  const workers = (process.env.BENCH_PEER_WORKERS ?? '').split(',').filter(Boolean);
  const store = getPostgreSQLEventStore(databaseUrl, { projections: projections.inline([openTasksProjection]) });
  await store.schema.migrate();
  const pongo = pongoClient(databaseUrl);
  const openTasks = pongo.db().collection<OpenTask>(OPEN_TASKS);
  await openTasks.schema.migrate();
  // The index a team would add for "by assignee and status" on a JSONB collection (pongo's find is `data @> ...`).
  await pongo.db().sql.command(rawSql(`create index if not exists open_tasks_data on ${OPEN_TASKS} using gin (data jsonb_path_ops)`));

  const app = express();
  app.use(express.json());
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/tasks', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const taskId = randomUUID();
      const assigneeId = workers[randomInt(workers.length)];
      const command: CreateTask = {
        type: 'CreateTask',
        data: { taskId, title: String(req.body.title), description: String(req.body.description ?? ''), assigneeId, now: new Date() },
      };
      await handle(store, `task-${taskId}`, command, { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
      res.status(201).json({ taskId, assigneeId });
    } catch (error) {
      next(error);
    }
  });
  app.get('/tasks/mine', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const items = await openTasks.find({ assigneeId: caller(req), status: 'open' });
      res.json({ items: items.map(({ _id, _version, ...task }) => task) });
    } catch (error) {
      next(error);
    }
  });
  const server = app.listen(Number(process.env.PORT), '127.0.0.1');
  process.once('SIGTERM', () => {
    server.close(() => void Promise.all([store.close(), pongo.close()]).finally(() => process.exit(0)));
    server.closeAllConnections();
  });
}

/** The bearer token is the user id: no verification (see the top of this file). */
function caller(req: Request): string {
  return (req.headers.authorization ?? '').replace(/^Bearer /, '');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
