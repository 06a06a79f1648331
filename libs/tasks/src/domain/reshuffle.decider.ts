import { assertNever, type Decider } from '@app/core/domain';
import { ReshuffleInProgress } from './tasks.errors';
import type { ReshuffleEvent, TaskReshuffleStarted } from '../contract/reshuffle.events';

export type StartReshuffle = { type: 'StartReshuffle'; data: { reshuffleId: string; startedBy: string | null; startedAt: string } };
export type FinishReshuffle = { type: 'FinishReshuffle'; data: { reshuffleId: string; reassigned: number; finishedAt: string } };
export type ReshuffleCommand = StartReshuffle | FinishReshuffle;

export type ReshuffleState = {
  /** The reshuffle started and not yet finished: while there is one, no other may start. */
  running: TaskReshuffleStarted['data'] | null;
  lastStartedId: string | null;
};

/**
 * The reshuffles, in the one stream `reshuffles`: at most one runs at a time. A start is decided on
 * the stream as read and appended at that revision, so the append that records it is the proof
 * that no other was running; a concurrent start re-reads, finds it running and is refused with
 * nothing written, leaving nothing for the resumer. A reshuffle is started before any task is
 * touched and finished once every open task has been reached, so the running one, if any, is
 * work left to resume. Both steps are idempotent, because a resumed reshuffle may run them again.
 *
 * Reshuffles recorded before this stream existed each have a stream `reshuffle-<reshuffleId>`
 * (see `reshuffleStream`); the same decider folds those, and finishes one left unfinished there.
 */
export const reshuffleDecider: Decider<ReshuffleCommand, ReshuffleEvent, ReshuffleState> = {
  initialState: () => ({ running: null, lastStartedId: null }),

  decide(command, state) {
    switch (command.type) {
      case 'StartReshuffle':
        if (state.lastStartedId === command.data.reshuffleId) return [];
        if (state.running) throw new ReshuffleInProgress(state.running);
        return [{ type: 'TaskReshuffleStarted', data: command.data }];
      case 'FinishReshuffle':
        // Not the running one: it was finished already (by another run of it), or never ran here.
        return state.running?.reshuffleId === command.data.reshuffleId ? [{ type: 'TaskReshuffleFinished', data: command.data }] : [];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'TaskReshuffleStarted':
        return { running: event.data, lastStartedId: event.data.reshuffleId };
      case 'TaskReshuffleFinished':
        return state.running?.reshuffleId === event.data.reshuffleId ? { ...state, running: null } : state;
      default:
        return assertNever(event);
    }
  },
};

/** The stream of every reshuffle since only one may run at a time. */
export const RESHUFFLES_STREAM = 'reshuffles';

/** The stream of one reshuffle recorded before `RESHUFFLES_STREAM`: still read, never started anew. */
export function reshuffleStream(reshuffleId: string): string {
  return `reshuffle-${reshuffleId}`;
}
