import type { Recorded } from '@app/core';
import type { TaskEvent } from '@app/tasks/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { taskBoardProjection } from './task-board.projection';
import { taskBoardQueries } from './task-board.queries';

const ann = 'a0000000-0000-4000-8000-000000000001';
const bob = 'b0000000-0000-4000-8000-000000000002';
const task = (n: number) => `7d1c3a52-4b8e-4a8f-9a57-${String(n).padStart(12, '0')}`;

const recorded = recorder<TaskEvent>((event) => `task-${event.data.taskId}`);
const created = (taskId: string, title: string, assigneeId: string) => [
  recorded('TaskCreated', { taskId, title, jiraId: title === 'one' ? 'POPUG-1' : null, description: `${title}, described`, createdAt: '2024-05-01T09:00:00.000Z' }),
  recorded('TaskAssigned', { taskId, assigneeId, previousAssigneeId: null, reshuffleId: null, assignedAt: '2024-05-01T09:00:00.000Z' }),
];

/** Three tasks: the first reassigned from ann to bob, the second completed by ann, the third open with ann. */
const log: Recorded<TaskEvent>[] = [
  ...created(task(1), 'one', ann),
  ...created(task(2), 'two', ann),
  recorded('TaskAssigned', { taskId: task(1), assigneeId: bob, previousAssigneeId: ann, reshuffleId: 'c0000000-0000-4000-8000-000000000003', assignedAt: '2024-05-01T10:00:00.000Z' }),
  recorded('TaskCompleted', { taskId: task(2), completedBy: ann, completedAt: '2024-05-01T11:00:00.000Z' }),
  ...created(task(3), 'three', ann),
];

describe('task board', () => {
  const readModel = readModelUnderTest(taskBoardProjection, { generations: ['served', 2], batches: [log] });

  it('reads the three task event types', () => {
    expect([...taskBoardProjection.eventTypes].sort()).toEqual(['TaskAssigned', 'TaskCompleted', 'TaskCreated']);
  });

  it('keeps each task with its status, its assignee and its creation position', async () => {
    const board = readModel.queries(taskBoardQueries);
    expect(await board.byId(task(1))).toEqual({
      task_id: task(1),
      title: 'one',
      jira_id: 'POPUG-1',
      description: 'one, described',
      status: 'open',
      assignee_id: bob,
      created_at: new Date('2024-05-01T09:00:00.000Z'),
      completed_at: null,
      created_position: log[0].position,
    });
    expect(await board.byId(task(2))).toMatchObject({ status: 'completed', assignee_id: ann, completed_at: new Date('2024-05-01T11:00:00.000Z') });
    expect(await board.byId(task(4))).toBeUndefined();
  });

  it('gives the same rows applied one event per batch as in one batch', async () => {
    await readModel.applyEachAlone(log, 2);
    expect(await readModel.rows('task_board', 2, 'task_id')).toEqual(await readModel.rows('task_board', 'served', 'task_id'));
  });

  it('refuses a second TaskCreated of one task', async () => {
    const again = recorded('TaskCreated', { taskId: task(3), title: 'three', jiraId: null, description: 'd', createdAt: '2024-05-01T09:00:00.000Z' });
    await expect(readModel.apply([again])).rejects.toThrow(`Task ${task(3)} is already on the board`);
  });

  it('pages newest first, by status and assignee, with a cursor that continues where the page ended', async () => {
    const board = readModel.queries(taskBoardQueries);
    const ids = (rows: { task_id: string }[]) => rows.map((row) => row.task_id);
    const first = await board.page({}, { limit: 2 });
    expect({ ids: ids(first.rows), more: first.more }).toEqual({ ids: [task(3), task(2)], more: true });
    const next = await board.page({}, { limit: 2, createdBefore: first.rows[1].created_position });
    expect({ ids: ids(next.rows), more: next.more }).toEqual({ ids: [task(1)], more: false });
    expect(ids((await board.page({ status: 'open' }, { limit: 10 })).rows)).toEqual([task(3), task(1)]);
    expect(ids((await board.page({ assigneeId: ann }, { limit: 10 })).rows)).toEqual([task(3), task(2)]);
    expect(ids((await board.page({ status: 'open', assigneeId: ann }, { limit: 10 })).rows)).toEqual([task(3)]);
  });

  it('lists the open tasks oldest first, and says whether any is open', async () => {
    const board = readModel.queries(taskBoardQueries);
    expect(await board.openTaskIds()).toEqual([task(1), task(3)]);
    expect(await board.anyOpen()).toBe(true);
    await readModel.knex('task_board').update({ status: 'completed' });
    expect(await board.anyOpen()).toBe(false);
    expect(await board.openTaskIds()).toEqual([]);
  });
});
