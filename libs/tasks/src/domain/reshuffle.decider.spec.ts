import { spec } from '@app/core/testing/given-when-then';
import { type FinishReshuffle, reshuffleDecider, type StartReshuffle } from './reshuffle.decider';
import { ReshuffleInProgress } from './tasks.errors';
import type { TaskReshuffleFinished, TaskReshuffleStarted } from '../contract/reshuffle.events';

const manager = 'a0000000-0000-4000-8000-000000000001';
const start = (reshuffleId: string): StartReshuffle => ({
  type: 'StartReshuffle',
  data: { reshuffleId, startedBy: manager, startedAt: '2024-05-01T09:00:00.000Z' },
});
const started = (reshuffleId: string): TaskReshuffleStarted => ({ type: 'TaskReshuffleStarted', data: start(reshuffleId).data });
const finish = (reshuffleId: string): FinishReshuffle => ({
  type: 'FinishReshuffle',
  data: { reshuffleId, reassigned: 7, finishedAt: '2024-05-01T09:00:02.000Z' },
});
const finished = (reshuffleId: string): TaskReshuffleFinished => ({ type: 'TaskReshuffleFinished', data: finish(reshuffleId).data });

const first = 'c0000000-0000-4000-8000-000000000001';
const second = 'c0000000-0000-4000-8000-000000000002';
const third = 'c0000000-0000-4000-8000-000000000003';

describe('reshuffle decider', () => {
  it('starts a reshuffle when none is running, once', () => {
    spec(reshuffleDecider).given([]).when(start(first)).then([started(first)]);
    spec(reshuffleDecider).given([started(first)]).when(start(first)).then([]);
    spec(reshuffleDecider).given([started(first), finished(first)]).when(start(second)).then([started(second)]);
  });

  it('refuses to start a reshuffle while another runs, with RESHUFFLE_IN_PROGRESS naming the running one', () => {
    spec(reshuffleDecider).given([started(first)]).when(start(second)).thenThrows(ReshuffleInProgress);
    spec(reshuffleDecider).given([started(first), finished(first), started(second)]).when(start(third)).thenThrows({ code: 'RESHUFFLE_IN_PROGRESS' });
    const state = [started(first), finished(first), started(second)].reduce(reshuffleDecider.evolve, reshuffleDecider.initialState());
    expect(() => reshuffleDecider.decide(start(third), state)).toThrow(
      expect.objectContaining({ status: 409, details: { reshuffleId: second, startedAt: '2024-05-01T09:00:00.000Z' } }),
    );
  });

  it('finishes the running reshuffle once, however many runs reach the end', () => {
    spec(reshuffleDecider).given([started(first)]).when(finish(first)).then([finished(first)]);
    spec(reshuffleDecider).given([started(first), finished(first)]).when(finish(first)).then([]);
  });

  it('a late finish of an earlier reshuffle does not finish the one running now', () => {
    const state = [started(first), finished(first), started(second)];
    spec(reshuffleDecider).given(state).when(finish(first)).then([]);
    spec(reshuffleDecider).given([...state, finished(first)]).when(start(third)).thenThrows(ReshuffleInProgress);
  });

  it('finishes nothing where no reshuffle ever started', () => {
    spec(reshuffleDecider).given([]).when(finish(first)).then([]);
  });
});
