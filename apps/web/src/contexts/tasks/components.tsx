import { api } from '../../api';
import { Link } from '../../router';
import type { Me } from '../../session';
import { Button, ErrorMessage, formatInstant, Status, Table, useCommand } from '../../ui';
import type { Task } from './model';

/** Completes one of my open tasks; the API's refusal (not the assignee, already completed) shows beside it. */
export function CompleteButton({ task, label }: { task: Task; label?: string }) {
  const complete = useCommand(() => api.post<{ taskId: string; position: string }>(`/tasks/${task.taskId}/complete`));
  return (
    <div className="tasks-action">
      <Button type="button" busy={complete.isPending} onClick={() => complete.mutate(undefined)} aria-label={label ?? `Complete “${task.title}”`}>
        Complete
      </Button>
      <ErrorMessage error={complete.error} />
    </div>
  );
}

export function TaskTitle({ task }: { task: Task }) {
  return (
    <>
      <Link to={`/tasks/${task.taskId}`}>{task.title}</Link>
      {task.jiraId && <span className="tasks-jira"> {task.jiraId}</span>}
    </>
  );
}

export function TaskTable({ caption, tasks, me, nameOf }: { caption: string; tasks: readonly Task[]; me: Me; nameOf: (userId: string | null) => string }) {
  return (
    <Table
      caption={caption}
      rows={tasks}
      rowKey={(task) => task.taskId}
      empty="No tasks here."
      columns={[
        { header: 'Task', cell: (task) => <TaskTitle task={task} /> },
        { header: 'Status', cell: (task) => <Status value={task.status} /> },
        { header: 'Assignee', cell: (task) => nameOf(task.assigneeId) },
        { header: 'Created', cell: (task) => formatInstant(task.createdAt) },
        {
          header: 'Action',
          cell: (task) => (task.status === 'open' && task.assigneeId === me.userId ? <CompleteButton task={task} /> : task.completedAt ? `Completed ${formatInstant(task.completedAt)}` : '—'),
        },
      ]}
    />
  );
}
