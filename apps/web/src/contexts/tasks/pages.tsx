import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Page as ApiPage } from '../../api';
import type { PageProps } from '../../pages';
import { Link } from '../../router';
import { hasRole, useMe } from '../../session';
import { Button, ErrorMessage, Field, Form, formatInstant, Loaded, Notice, Page, Pager, Section, Select, Status, TextArea, useCommand, usePager } from '../../ui';
import { CompleteButton, TaskTable } from './components';
import { PAGE_SIZE, STATUS_OPTIONS, type Task, usePeople } from './model';

export function MyTasksPage() {
  const me = useMe();
  const people = usePeople(me);
  const [status, setStatus] = useState('');
  const pager = usePager([status]);
  const tasks = useQuery({
    queryKey: ['tasks', 'mine', status, pager.cursor],
    queryFn: () => api.get<ApiPage<Task>>('/tasks/mine', { status, limit: PAGE_SIZE, cursor: pager.cursor }),
  });
  return (
    <Page title="My tasks">
      <div className="row tasks-filters">
        <Select label="Status" value={status} onChange={(event) => setStatus(event.target.value)} options={STATUS_OPTIONS} />
      </div>
      <Loaded query={tasks}>
        {(page) => (
          <>
            <TaskTable caption="Tasks assigned to me, newest first" tasks={page.items} me={me} nameOf={people.nameOf} />
            <Pager pager={pager} nextCursor={page.nextCursor} />
          </>
        )}
      </Loaded>
    </Page>
  );
}

function ReassignButton() {
  const reassign = useCommand(() => api.post<{ reassigned: number; position: string }>('/tasks/reassign'));
  const count = reassign.data?.reassigned;
  return (
    <div className="tasks-reassign">
      <Button type="button" busy={reassign.isPending} onClick={() => reassign.mutate(undefined)}>
        Reassign open tasks
      </Button>
      <ErrorMessage error={reassign.error} />
      {count !== undefined && <Notice>{count === 1 ? '1 task reassigned' : `${count} tasks reassigned`}</Notice>}
    </div>
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function AllTasksPage() {
  const me = useMe();
  const people = usePeople(me);
  const [status, setStatus] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const assignee = assigneeId.trim();
  // A half-typed id is not asked about (the API would only refuse it); a whole one, or none, is.
  const partial = assignee !== '' && !UUID.test(assignee);
  const pager = usePager([status, assignee]);
  const tasks = useQuery({
    queryKey: ['tasks', 'all', status, assignee, pager.cursor],
    queryFn: () => api.get<ApiPage<Task>>('/tasks', { status, assigneeId: assignee, limit: PAGE_SIZE, cursor: pager.cursor }),
    enabled: !partial,
  });
  const workers = (people.users.data ?? []).filter((user) => user.role === 'worker');
  return (
    <Page title="All tasks" actions={hasRole(me, ['manager', 'admin']) ? <ReassignButton /> : undefined}>
      <div className="row tasks-filters">
        <Select label="Status" value={status} onChange={(event) => setStatus(event.target.value)} options={STATUS_OPTIONS} />
        {people.allowed ? (
          <Select
            label="Assignee"
            value={assigneeId}
            onChange={(event) => setAssigneeId(event.target.value)}
            options={[['', 'Anyone'], ...workers.map((user) => [user.userId, `${user.name} (${user.email})`] as const)]}
          />
        ) : (
          <Field
            label="Assignee id"
            hint={
              <>
                A user id, or empty for anyone. Yours is <code>{me.userId}</code>.
              </>
            }
            value={assigneeId}
            onChange={(event) => setAssigneeId(event.target.value)}
            spellCheck={false}
          />
        )}
      </div>
      {partial ? (
        <p className="empty">Type the whole user id (a UUID, as on their “Who am I” page) to see their tasks.</p>
      ) : (
        <Loaded query={tasks}>
          {(page) => (
            <>
              <TaskTable caption="Tasks, newest first" tasks={page.items} me={me} nameOf={people.nameOf} />
              <Pager pager={pager} nextCursor={page.nextCursor} />
            </>
          )}
        </Loaded>
      )}
    </Page>
  );
}

function TaskFacts({ task, nameOf }: { task: Task; nameOf: (userId: string | null) => string }) {
  return (
    <dl className="facts">
      <dt>Title</dt>
      <dd>{task.title}</dd>
      <dt>Jira id</dt>
      <dd>{task.jiraId ?? '—'}</dd>
      <dt>Status</dt>
      <dd>
        <Status value={task.status} />
      </dd>
      <dt>Assignee</dt>
      <dd data-testid="task-assignee">{nameOf(task.assigneeId)}</dd>
      <dt>Created</dt>
      <dd>{formatInstant(task.createdAt)}</dd>
      <dt>Completed</dt>
      <dd>{formatInstant(task.completedAt)}</dd>
      <dt>Description</dt>
      <dd className="tasks-description">{task.description || '—'}</dd>
    </dl>
  );
}

export function TaskPage({ params }: PageProps) {
  const me = useMe();
  const people = usePeople(me);
  const taskId = params.taskId ?? '';
  const task = useQuery({ queryKey: ['tasks', 'one', taskId], queryFn: () => api.get<Task>(`/tasks/${encodeURIComponent(taskId)}`) });
  return (
    <Page title={task.data ? `Task: ${task.data.title}` : 'Task'}>
      <Loaded query={task}>
        {(found) => (
          <Section title="The task">
            <TaskFacts task={found} nameOf={people.nameOf} />
            {found.status === 'open' && found.assigneeId === me.userId && <CompleteButton task={found} label="Complete this task" />}
          </Section>
        )}
      </Loaded>
      <p>
        <Link to="/tasks/mine">My tasks</Link> · <Link to="/tasks">All tasks</Link>
      </p>
    </Page>
  );
}

function CreatedTask({ taskId }: { taskId: string }) {
  const me = useMe();
  const people = usePeople(me);
  const task = useQuery({ queryKey: ['tasks', 'one', taskId], queryFn: () => api.get<Task>(`/tasks/${taskId}`) });
  return (
    <Section title="Task created">
      <Loaded query={task}>
        {(found) => (
          <>
            <Notice>
              Created “{found.title}”, assigned to {people.nameOf(found.assigneeId)}.
            </Notice>
            <TaskFacts task={found} nameOf={people.nameOf} />
            <p>
              <Link to={`/tasks/${found.taskId}`}>Open the task</Link>
            </p>
          </>
        )}
      </Loaded>
    </Section>
  );
}

const EMPTY = { title: '', jiraId: '', description: '' };

export function CreateTaskPage() {
  const [draft, setDraft] = useState(EMPTY);
  const [created, setCreated] = useState<string | null>(null);
  const create = useCommand(
    () => api.post<{ taskId: string; assigneeId: string; position: string }>('/tasks', { title: draft.title, description: draft.description, ...(draft.jiraId.trim() ? { jiraId: draft.jiraId.trim() } : {}) }),
    (result) => {
      setCreated(result.taskId);
      setDraft(EMPTY);
    },
  );
  return (
    <Page title="Create task">
      <Section title="New task">
        <Form onSubmit={() => create.mutate(undefined)} label="Create task">
          <Field
            label="Title"
            required
            maxLength={200}
            value={draft.title}
            onChange={(event) => setDraft({ ...draft, title: event.target.value })}
            hint="What is to be done, without the Jira id: the title may not hold [ or ]. Put the id in its own field below."
          />
          <Field
            label="Jira id"
            maxLength={64}
            value={draft.jiraId}
            spellCheck={false}
            onChange={(event) => setDraft({ ...draft, jiraId: event.target.value })}
            hint="Optional, a Jira issue key such as POPUG-12."
          />
          <TextArea label="Description" maxLength={5000} value={draft.description} onChange={(event) => setDraft({ ...draft, description: event.target.value })} />
          <p className="hint">A worker is drawn at random to do it.</p>
          <ErrorMessage error={create.error} />
          <Button type="submit" busy={create.isPending}>
            Create task
          </Button>
        </Form>
      </Section>
      {created && <CreatedTask taskId={created} />}
    </Page>
  );
}
