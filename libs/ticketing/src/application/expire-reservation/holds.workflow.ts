import { Injectable } from '@nestjs/common';
import { AsWorkflow, type TimerFired, type Workflow, type WorkflowDecision, type WorkflowEvent } from '@app/core';
import { assertNever } from '@app/core/domain';
import type {
  ReservationCancelled,
  ReservationConfirmed,
  ReservationExpired,
  ReservationPaymentRefunded,
  ReservationPaymentStarted,
  SeatsHeld,
} from '../../contract/ticketing.events';
import { ExpireReservationCommand, RefundUnsoldPaymentsCommand } from './expire-reservation.command';

export type HoldEvent = SeatsHeld | ReservationPaymentStarted | ReservationConfirmed | ReservationExpired | ReservationCancelled | ReservationPaymentRefunded;

/** The hold's expiresAt came. */
export type HoldDue = TimerFired<'expire', null>;

export interface HoldState {
  showId: string | null;
  /** Payment keys started on the hold, and those refunded. */
  started: readonly string[];
  refunded: readonly string[];
  /** The key that paid for the seats, once confirmed. */
  sold: string | null;
  /** Confirmed, expired or cancelled: the hold is over. */
  ended: boolean;
}

type HoldCommand = ExpireReservationCommand | RefundUnsoldPaymentsCommand;

/**
 * Every hold, one instance per reservation: its SeatsHeld sets a durable timer for its expiresAt,
 * its confirmation or cancel cancels it, and the timer firing sends ExpireReservationCommand (which
 * expires the hold only if it is still held, so a redelivery or a take-over by another worker does
 * nothing twice). The timer lives in `workflow_timers`, so a worker that restarts finds every due
 * expiry there. Once the hold is over (expired, cancelled or confirmed), any payment started on it
 * that did not pay for its seats (a charge that raced the expiry, a process that died between
 * charging and confirming, a second payment that lost) is refunded: RefundUnsoldPaymentsCommand.
 */
@Injectable()
@AsWorkflow<HoldEvent>({
  name: 'ticketing-holds',
  eventTypes: ['SeatsHeld', 'ReservationPaymentStarted', 'ReservationConfirmed', 'ReservationExpired', 'ReservationCancelled', 'ReservationPaymentRefunded'],
  keyOf: (event) => event.data.reservationId,
  emits: ['ReservationExpired', 'SeatsHeld', 'WaitlistOffered', 'ReservationPaymentRefunded'],
})
export class HoldsWorkflow implements Workflow<HoldEvent, HoldState, HoldCommand, HoldDue> {
  initialState(): HoldState {
    return { showId: null, started: [], refunded: [], sold: null, ended: false };
  }

  decide(event: WorkflowEvent<HoldEvent, HoldDue>, state: HoldState): WorkflowDecision<HoldCommand> {
    switch (event.type) {
      case 'SeatsHeld':
        return { schedule: [{ id: 'expire', at: event.data.expiresAt }] };
      case 'ReservationConfirmed':
        return { cancel: ['expire'], commands: this.unsold(state, event.data.paymentKey).length > 0 ? [new RefundUnsoldPaymentsCommand(event.data.showId, event.data.reservationId)] : [] };
      case 'ReservationExpired':
      case 'ReservationCancelled':
        return { cancel: ['expire'], commands: this.unsold(state, state.sold).length > 0 ? [new RefundUnsoldPaymentsCommand(event.data.showId, event.data.reservationId)] : [] };
      case 'ReservationPaymentStarted':
        // Started after the hold was over (a retry racing the end): refunded like the others.
        return state.ended ? { commands: [new RefundUnsoldPaymentsCommand(event.data.showId, event.data.reservationId)] } : {};
      case 'WorkflowTimerFired':
        return state.showId ? { commands: [new ExpireReservationCommand(state.showId, event.data.instanceId)] } : {};
      case 'ReservationPaymentRefunded':
      case 'WorkflowStarted':
        return {};
      default:
        return assertNever(event);
    }
  }

  evolve(state: HoldState, event: WorkflowEvent<HoldEvent, HoldDue>): HoldState {
    switch (event.type) {
      case 'SeatsHeld':
        return { ...state, showId: event.data.showId };
      case 'ReservationPaymentStarted':
        return { ...state, started: [...state.started, event.data.paymentKey] };
      case 'ReservationConfirmed':
        return { ...state, sold: event.data.paymentKey, ended: true };
      case 'ReservationExpired':
      case 'ReservationCancelled':
        return { ...state, ended: true };
      case 'ReservationPaymentRefunded':
        return { ...state, refunded: [...state.refunded, event.data.paymentKey] };
      case 'WorkflowTimerFired':
      case 'WorkflowStarted':
        return state;
      default:
        return assertNever(event);
    }
  }

  private unsold(state: HoldState, sold: string | null): string[] {
    return state.started.filter((key) => key !== sold && !state.refunded.includes(key));
  }
}
