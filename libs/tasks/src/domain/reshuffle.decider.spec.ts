import { NotFoundError } from '@app/core';
import { spec } from '@app/core/testing/given-when-then';
import { type FinishReshuffle, reshuffleDecider, type StartReshuffle } from './reshuffle.decider';
import type { TaskReshuffleFinished, TaskReshuffleStarted } from './reshuffle.events';

const reshuffleId = 'c0000000-0000-4000-8000-000000000003';
const start: StartReshuffle = {
  type: 'StartReshuffle',
  data: { reshuffleId, startedBy: 'a0000000-0000-4000-8000-000000000001', startedAt: '2024-05-01T09:00:00.000Z' },
};
const started: TaskReshuffleStarted = { type: 'TaskReshuffleStarted', data: start.data };
const finish: FinishReshuffle = { type: 'FinishReshuffle', data: { reshuffleId, reassigned: 7, finishedAt: '2024-05-01T09:00:02.000Z' } };
const finished: TaskReshuffleFinished = { type: 'TaskReshuffleFinished', data: finish.data };

describe('reshuffle decider', () => {
  it('starts a reshuffle once', () => {
    spec(reshuffleDecider).given([]).when(start).then([started]);
    spec(reshuffleDecider).given([started]).when(start).then([]);
  });

  it('finishes a started reshuffle once, however many runs reach the end', () => {
    spec(reshuffleDecider).given([started]).when(finish).then([finished]);
    spec(reshuffleDecider).given([started, finished]).when(finish).then([]);
  });

  it('cannot finish a reshuffle that never started', () => {
    spec(reshuffleDecider).given([]).when(finish).thenThrows(NotFoundError);
  });
});
