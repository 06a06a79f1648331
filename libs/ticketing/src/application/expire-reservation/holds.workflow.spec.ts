import type { TimerFired } from '@app/core';
import { timerFired, workflowSpec } from '@app/core/workflows/workflow-spec';
import type {
  ReservationCancelled,
  ReservationConfirmed,
  ReservationExpired,
  ReservationPaymentRefunded,
  ReservationPaymentStarted,
  SeatsHeld,
} from '../../contract/ticketing.events';
import { ExpireReservationCommand, RefundUnsoldPaymentsCommand } from './expire-reservation.command';
import { HoldsWorkflow } from './holds.workflow';

const holds = workflowSpec(new HoldsWorkflow());
const showId = '5a000000-0000-4000-8000-000000000001';
const reservationId = 'e0000000-0000-4000-8000-000000000001';
const customerId = 'c0000000-0000-4000-8000-00000000000a';
const heldAt = '2027-02-01T10:00:00.000Z';
const expiresAt = '2027-02-01T10:10:00.000Z';
const later = '2027-02-01T10:05:00.000Z';

const held: SeatsHeld = { type: 'SeatsHeld', data: { showId, reservationId, customerId, seats: ['A-1-1'], totalCents: 1000, heldAt, expiresAt, waitlistId: null } };
const started = (paymentKey: string): ReservationPaymentStarted => ({ type: 'ReservationPaymentStarted', data: { showId, reservationId, paymentKey, amountCents: 1000, startedAt: later } });
const confirmed = (paymentKey: string): ReservationConfirmed => ({
  type: 'ReservationConfirmed',
  data: { showId, reservationId, customerId, paymentId: `pay-${paymentKey}`, paymentKey, tickets: [{ ticketId: 't1', seatId: 'A-1-1' }], totalCents: 1000, confirmedAt: later },
});
const expired: ReservationExpired = { type: 'ReservationExpired', data: { showId, reservationId, customerId, seats: ['A-1-1'], waitlistId: null, expiredAt: expiresAt } };
const cancelled = (refundedPaymentId: string | null = null): ReservationCancelled => ({
  type: 'ReservationCancelled',
  data: { showId, reservationId, customerId, seats: ['A-1-1'], refundedPaymentId, cancelledAt: later },
});
const refunded = (paymentKey: string): ReservationPaymentRefunded => ({
  type: 'ReservationPaymentRefunded',
  data: { showId, reservationId, paymentKey, paymentId: `pay-${paymentKey}`, amountCents: 1000, refundedAt: later },
});

/** The hold's timer firing, for this reservation's workflow instance. */
function due(at = expiresAt): TimerFired<'expire'> {
  const fired = timerFired('expire', at);
  return { ...fired, data: { ...fired.data, instanceId: reservationId } };
}

const refundUnsold = new RefundUnsoldPaymentsCommand(showId, reservationId);

describe('holds workflow', () => {
  it('a hold sets the expire timer for its expiresAt', () => {
    holds.given([]).when(held).then({ schedule: [{ id: 'expire', at: expiresAt }] });
    holds.given([]).when(held).thenTimers({ expire: expiresAt });
  });

  it('its firing sends ExpireReservationCommand for the show and the reservation', () => {
    holds.given([held]).when(due()).then({ commands: [new ExpireReservationCommand(showId, reservationId)] });
    holds.given([held, started('k1')]).when(due()).then({ commands: [new ExpireReservationCommand(showId, reservationId)] });
  });

  it('a confirmation or a cancel cancels the timer, and a firing already on its way then does nothing', () => {
    holds.given([held, started('k1')]).when(confirmed('k1')).then({ cancel: ['expire'] });
    holds.given([held, started('k1')]).when(confirmed('k1')).thenTimers({});
    holds.given([held]).when(cancelled()).then({ cancel: ['expire'] });
    holds.given([held]).when(cancelled()).thenTimers({});
    holds.given([held, started('k1'), confirmed('k1')]).when(due()).thenNothing();
    holds.given([held, cancelled()]).when(due()).thenNothing();
  });

  it('the expiry of a hold with no payment started refunds nothing', () => {
    holds.given([held]).when(expired).then({ cancel: ['expire'] });
  });

  it('payments started and not refunded when the hold expires or is cancelled are refunded', () => {
    holds.given([held, started('k1')]).when(expired).then({ cancel: ['expire'], commands: [refundUnsold] });
    holds.given([held, started('k1'), started('k2'), refunded('k1')]).when(cancelled()).then({ cancel: ['expire'], commands: [refundUnsold] });
  });

  it('payments all refunded already when the hold ends are not refunded again', () => {
    holds.given([held, started('k1'), refunded('k1')]).when(expired).then({ cancel: ['expire'] });
  });

  it('a confirmation refunds the other payments that lost, never the one that paid', () => {
    holds.given([held, started('k1'), started('k2')]).when(confirmed('k2')).then({ cancel: ['expire'], commands: [refundUnsold] });
    holds.given([held, started('k1'), started('k2'), refunded('k1')]).when(confirmed('k2')).then({ cancel: ['expire'] });
  });

  it('the cancel of a confirmed reservation refunds no payment through the workflow (the cancel refunded the one that paid)', () => {
    holds.given([held, started('k1'), confirmed('k1')]).when(cancelled('pay-k1')).then({ cancel: ['expire'] });
  });

  it('a payment started after the hold ended is refunded', () => {
    holds.given([held, expired]).when(started('k1')).then({ commands: [refundUnsold] });
    holds.given([held, started('k1'), confirmed('k1')]).when(started('k2')).then({ commands: [refundUnsold] });
    holds.given([held, cancelled()]).when(started('k1')).then({ commands: [refundUnsold] });
  });

  it('a payment started while the hold runs, and a refund, decide nothing by themselves', () => {
    holds.given([held]).when(started('k1')).thenNothing();
    holds.given([held, started('k1'), expired]).when(refunded('k1')).thenNothing();
  });
});
