import { NotFoundError } from '@app/core/domain';
import { spec } from '@app/core/testing/given-when-then';
import { type CompleteTask, type CreateTask, type ReassignTask, taskDecider } from './task.decider';
import { type TaskAssigned, type TaskCompleted, type TaskCreated, upcastTaskCreatedV1 } from '../contract/task.events';
import { NotAssignee, TaskAlreadyCompleted, TaskAlreadyExists } from './tasks.errors';

const taskId = '7d1c3a52-4b8e-4a8f-9a57-1f6f3c0b2e10';
const ann = 'a0000000-0000-4000-8000-000000000001';
const bob = 'b0000000-0000-4000-8000-000000000002';
const reshuffleId = 'c0000000-0000-4000-8000-000000000003';
const createdAt = '2024-05-01T09:00:00.000Z';
const later = '2024-05-01T10:00:00.000Z';

const create: CreateTask = {
  type: 'CreateTask',
  data: { taskId, title: 'fix login', jiraId: 'POPUG-12', description: 'the beak scanner times out', assigneeId: ann, createdAt },
};
const created: TaskCreated = {
  type: 'TaskCreated',
  data: { taskId, title: 'fix login', jiraId: 'POPUG-12', description: 'the beak scanner times out', createdAt },
};
const assignedToAnn: TaskAssigned = {
  type: 'TaskAssigned',
  data: { taskId, assigneeId: ann, previousAssigneeId: null, reshuffleId: null, assignedAt: createdAt },
};
const reassign: ReassignTask = { type: 'ReassignTask', data: { taskId, assigneeId: bob, reshuffleId, assignedAt: later } };
const reassignedToBob: TaskAssigned = {
  type: 'TaskAssigned',
  data: { taskId, assigneeId: bob, previousAssigneeId: ann, reshuffleId, assignedAt: later },
};
const complete = (userId: string): CompleteTask => ({ type: 'CompleteTask', data: { taskId, userId, completedAt: later } });
const completedByAnn: TaskCompleted = { type: 'TaskCompleted', data: { taskId, completedBy: ann, completedAt: later } };

describe('task decider', () => {
  describe('CreateTask', () => {
    it('creates the task and assigns it at once to the worker the handler drew', () => {
      spec(taskDecider).given([]).when(create).then([created, assignedToAnn]);
    });

    it('refuses a task id that is taken', () => {
      spec(taskDecider).given([created, assignedToAnn]).when(create).thenThrows(TaskAlreadyExists);
    });
  });

  describe('ReassignTask', () => {
    it('gives an open task to the drawn worker, recording who held it', () => {
      spec(taskDecider).given([created, assignedToAnn]).when(reassign).then([reassignedToBob]);
    });

    it('reassigns even when the draw falls on the same worker: that is an assignment too', () => {
      spec(taskDecider)
        .given([created, assignedToAnn])
        .when({ ...reassign, data: { ...reassign.data, assigneeId: ann } })
        .then([{ ...reassignedToBob, data: { ...reassignedToBob.data, assigneeId: ann } }]);
    });

    it('does nothing the second time one reshuffle reaches the task, so a resumed reshuffle repeats nothing', () => {
      spec(taskDecider).given([created, assignedToAnn, reassignedToBob]).when(reassign).then([]);
    });

    it('reassigns again for another reshuffle', () => {
      const next = { ...reassign, data: { ...reassign.data, reshuffleId: 'c0000000-0000-4000-8000-000000000004', assigneeId: ann } };
      spec(taskDecider)
        .given([created, assignedToAnn, reassignedToBob])
        .when(next)
        .then([{ type: 'TaskAssigned', data: { ...next.data, previousAssigneeId: bob } }]);
    });

    it('leaves a completed task with the worker who completed it', () => {
      spec(taskDecider).given([created, assignedToAnn, completedByAnn]).when(reassign).then([]);
    });

    it('cannot reassign a task that does not exist', () => {
      spec(taskDecider).given([]).when(reassign).thenThrows(NotFoundError);
    });
  });

  describe('CompleteTask', () => {
    it('completes the task for its assignee', () => {
      spec(taskDecider).given([created, assignedToAnn]).when(complete(ann)).then([completedByAnn]);
    });

    it('is for the assignee only', () => {
      spec(taskDecider).given([created, assignedToAnn]).when(complete(bob)).thenThrows(NotAssignee);
    });

    it('is for the current assignee after a reshuffle', () => {
      spec(taskDecider).given([created, assignedToAnn, reassignedToBob]).when(complete(ann)).thenThrows(NotAssignee);
      spec(taskDecider)
        .given([created, assignedToAnn, reassignedToBob])
        .when(complete(bob))
        .then([{ type: 'TaskCompleted', data: { taskId, completedBy: bob, completedAt: later } }]);
    });

    it('happens once', () => {
      spec(taskDecider).given([created, assignedToAnn, completedByAnn]).when(complete(ann)).thenThrows(TaskAlreadyCompleted);
    });

    it('cannot complete a task that does not exist', () => {
      spec(taskDecider).given([]).when(complete(ann)).thenThrows(NotFoundError);
    });
  });
});

describe('TaskCreated v1 → v2', () => {
  const v1 = { taskId, description: 'd', createdAt };

  it('takes the jira id out of the title', () => {
    expect(upcastTaskCreatedV1({ ...v1, title: '[POPUG-12] fix login' })).toEqual({ ...v1, title: 'fix login', jiraId: 'POPUG-12' });
    expect(upcastTaskCreatedV1({ ...v1, title: '  [ POPUG-7 ]   feed the parrots ' })).toEqual({ ...v1, title: 'feed the parrots', jiraId: 'POPUG-7' });
  });

  it('keeps a title without a jira id as it was, with no jira id', () => {
    expect(upcastTaskCreatedV1({ ...v1, title: 'fix login' })).toEqual({ ...v1, title: 'fix login', jiraId: null });
    expect(upcastTaskCreatedV1({ ...v1, title: 'fix [login]' })).toEqual({ ...v1, title: 'fix [login]', jiraId: null });
  });
});
