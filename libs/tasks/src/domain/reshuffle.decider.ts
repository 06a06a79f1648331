import { assertNever, type Decider, NotFoundError } from '@app/core';
import type { ReshuffleEvent } from './reshuffle.events';

export type StartReshuffle = { type: 'StartReshuffle'; data: { reshuffleId: string; startedBy: string | null; startedAt: string } };
export type FinishReshuffle = { type: 'FinishReshuffle'; data: { reshuffleId: string; reassigned: number; finishedAt: string } };
export type ReshuffleCommand = StartReshuffle | FinishReshuffle;

export type ReshuffleState = { status: 'none' } | { status: 'started' } | { status: 'finished' };

/**
 * One reshuffle, in stream `reshuffle-<reshuffleId>`: started before any task is touched and
 * finished once every open task has been reached, so an unfinished one is work left to resume.
 * Both steps are idempotent, because a resumed reshuffle may run them again.
 */
export const reshuffleDecider: Decider<ReshuffleCommand, ReshuffleEvent, ReshuffleState> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'StartReshuffle':
        return state.status === 'none' ? [{ type: 'TaskReshuffleStarted', data: command.data }] : [];
      case 'FinishReshuffle':
        if (state.status === 'none') throw new NotFoundError('Reshuffle', command.data.reshuffleId);
        return state.status === 'started' ? [{ type: 'TaskReshuffleFinished', data: command.data }] : [];
      default:
        return assertNever(command);
    }
  },

  evolve(_, event) {
    switch (event.type) {
      case 'TaskReshuffleStarted':
        return { status: 'started' };
      case 'TaskReshuffleFinished':
        return { status: 'finished' };
      default:
        return assertNever(event);
    }
  },
};

export function reshuffleStream(reshuffleId: string): string {
  return `reshuffle-${reshuffleId}`;
}
