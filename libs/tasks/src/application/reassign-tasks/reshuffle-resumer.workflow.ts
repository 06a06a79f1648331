import { Inject, Injectable } from '@nestjs/common';
import { AsWorkflow, type TimerFired, type Workflow, type WorkflowDecision, type WorkflowEvent } from '@app/core';
import { assertNever } from '@app/core/domain';
import type { ReshuffleEvent } from '../../contract/reshuffle.events';
import { CarryOutReshuffleCommand } from './carry-out-reshuffle.command';
import { RESHUFFLE_CONFIG, type ReshuffleConfig } from './reshuffle.config';

/** A reshuffle has run a whole window without finishing: its run is taken to be abandoned. */
export type ReshuffleAbandoned = TimerFired<'abandoned', null>;

export type ReshuffleResumerState =
  | { status: 'unknown' }
  | { status: 'running'; reshuffleId: string; startedPosition: string; stream: string }
  | { status: 'finished' };

/**
 * The worker's side of resumable reshuffles, one instance per reshuffle: its start sets a timer
 * RESHUFFLE_ABANDONED_AFTER_MS later, its finish cancels it. When the timer fires first, the
 * reshuffle's run is taken to be abandoned (its process died, or a command failed) and
 * `CarryOutReshuffleCommand` is sent; the timer is set again for another window, so a reshuffle
 * that is still not finished then is carried out again. Should the original run still be going,
 * both runs together still reassign each task once, so being wrong about "abandoned" costs time,
 * never correctness. Only a reshuffle whose start was recorded is resumed, and a start is recorded
 * only when no other reshuffle is running: a request refused with 409 leaves nothing to resume.
 */
@Injectable()
@AsWorkflow<ReshuffleEvent>({
  name: 'reshuffle-resumer',
  eventTypes: ['TaskReshuffleStarted', 'TaskReshuffleFinished'],
  keyOf: (event) => event.data.reshuffleId,
  emits: ['TaskAssigned', 'TaskReshuffleFinished'],
})
export class ReshuffleResumerWorkflow implements Workflow<ReshuffleEvent, ReshuffleResumerState, CarryOutReshuffleCommand, ReshuffleAbandoned> {
  constructor(@Inject(RESHUFFLE_CONFIG) private readonly config: Pick<ReshuffleConfig, 'abandonedAfterMs'>) {}

  initialState(): ReshuffleResumerState {
    return { status: 'unknown' };
  }

  decide(event: WorkflowEvent<ReshuffleEvent, ReshuffleAbandoned>, state: ReshuffleResumerState): WorkflowDecision<CarryOutReshuffleCommand> {
    switch (event.type) {
      case 'TaskReshuffleStarted':
        return { schedule: [this.abandonedAfter(event.data.startedAt)] };
      case 'TaskReshuffleFinished':
        return { cancel: ['abandoned'] };
      case 'WorkflowTimerFired':
        if (state.status !== 'running') return {};
        return {
          commands: [new CarryOutReshuffleCommand(state.reshuffleId, state.startedPosition, state.stream)],
          schedule: [this.abandonedAfter(event.data.firedAt)],
        };
      case 'WorkflowStarted':
        return {};
      default:
        return assertNever(event);
    }
  }

  evolve(state: ReshuffleResumerState, event: WorkflowEvent<ReshuffleEvent, ReshuffleAbandoned>): ReshuffleResumerState {
    switch (event.type) {
      case 'TaskReshuffleStarted':
        return { status: 'running', reshuffleId: event.data.reshuffleId, startedPosition: event.position, stream: event.streamName };
      case 'TaskReshuffleFinished':
        return { status: 'finished' };
      case 'WorkflowTimerFired':
      case 'WorkflowStarted':
        return state;
      default:
        return assertNever(event);
    }
  }

  private abandonedAfter(instant: string) {
    return { id: 'abandoned' as const, at: new Date(Date.parse(instant) + this.config.abandonedAfterMs).toISOString() };
  }
}
