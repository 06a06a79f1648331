import { useQuery } from '@tanstack/react-query';
import { newUuid } from '../../ids';
import { useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../../api';
import { Link } from '../../router';
import { Button, ConfirmButton, ErrorMessage, Field, Form, formatInstant, Loaded, Notice, Page, Section, Status, Table, useCommand } from '../../ui';

import type { Reservation, Show } from './types';

/** The time now, again every quarter second (for countdowns). */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** Milliseconds as `mm:ss` (rounded up, so 00:00 is shown only once the time is up). */
export function mmss(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

function Countdown({ expiresAt, onExpired }: { expiresAt: string; onExpired: () => void }) {
  const now = useNow();
  const left = new Date(expiresAt).getTime() - now;
  const over = left <= 0;
  const expired = useRef(onExpired);
  expired.current = onExpired;
  useEffect(() => {
    if (over) expired.current();
  }, [over]);
  return (
    <p className="ticketing-countdown">
      {over ? (
        'The hold has run out; the seats go back on sale.'
      ) : (
        <>
          Your seats are held for{' '}
          <span role="timer" aria-label="Time left to pay" className="ticketing-timer">
            {mmss(left)}
          </span>{' '}
          more (until {formatInstant(expiresAt)}).
        </>
      )}
    </p>
  );
}

export function ReservationPage({ params }: { params: Record<string, string> }) {
  const reservationId = params.reservationId!;
  const reservation = useQuery({
    queryKey: ['ticketing', 'reservation', reservationId],
    queryFn: () => api.get<Reservation>(`/ticketing/reservations/${reservationId}`),
    // While held it may expire (or a waitlist offer arrive paid elsewhere): asked again every two seconds.
    refetchInterval: (query) => (query.state.data?.status === 'held' ? 2000 : false),
  });
  return (
    <Loaded query={reservation}>
      {(data) => <ReservationView reservation={data} refetch={() => void reservation.refetch()} />}
    </Loaded>
  );
}

function ShowName({ showId }: { showId: string }) {
  const show = useQuery({ queryKey: ['ticketing', 'show-name', showId], queryFn: () => api.get<Show>(`/ticketing/shows/${showId}`), staleTime: 60_000 });
  return <Link to={`/ticketing/shows/${showId}`}>{show.data ? `${show.data.title}, ${show.data.venue}, ${formatInstant(show.data.startsAt)}` : 'The show'}</Link>;
}

function ReservationView({ reservation, refetch }: { reservation: Reservation; refetch: () => void }) {
  const cancel = useCommand(() => api.post<Reservation>(`/ticketing/reservations/${reservation.reservationId}/cancel`));
  return (
    <Page title={`Reservation of ${reservation.seats.length} ${reservation.seats.length === 1 ? 'seat' : 'seats'}`}>
      <Section title="Reservation">
        <dl className="facts">
          <dt>Show</dt>
          <dd>
            <ShowName showId={reservation.showId} />
          </dd>
          <dt>Status</dt>
          <dd data-testid="reservation-status">
            <Status value={reservation.status} />
          </dd>
          <dt>Seats</dt>
          <dd>{reservation.seats.join(', ')}</dd>
          <dt>Total</dt>
          <dd data-testid="reservation-total">{reservation.total}</dd>
          <dt>Name on tickets</dt>
          <dd>
            {reservation.customer ? (
              `${reservation.customer.fullName} (${reservation.customer.email})`
            ) : (
              <>
                None given. <Link to="/ticketing/me">My details for tickets</Link>
              </>
            )}
          </dd>
          <dt>Reserved</dt>
          <dd>{formatInstant(reservation.createdAt)}</dd>
        </dl>
        {reservation.status === 'held' && <Countdown expiresAt={reservation.expiresAt} onExpired={refetch} />}
      </Section>
      {reservation.status === 'held' && <PayForm reservation={reservation} />}
      {reservation.status === 'confirmed' && (
        <Section title="Your tickets">
          <Notice>Paid: payment {reservation.paymentId}. Enjoy the show.</Notice>
          <Table caption="Tickets" rows={reservation.tickets} rowKey={(ticket) => ticket.ticketId} columns={[{ header: 'Seat', cell: (ticket) => <span className="ticketing-nowrap">{ticket.seatId}</span> }, { header: 'Ticket', cell: (ticket) => <code>{ticket.ticketId}</code> }]} />
        </Section>
      )}
      {reservation.status === 'expired' && <p>This hold ran out before it was paid; its seats are back on sale.</p>}
      {reservation.status === 'refunded' && <p>This reservation was cancelled and its payment refunded.</p>}
      {(reservation.status === 'held' || reservation.status === 'confirmed') && (
        <Section title={reservation.status === 'held' ? 'Cancel' : 'Cancel and refund'}>
          <ConfirmButton
            label={reservation.status === 'held' ? 'Cancel reservation' : 'Cancel and refund'}
            question={reservation.status === 'held' ? 'Give these seats back?' : 'Give these tickets back? The payment is refunded.'}
            confirmLabel="Yes, cancel"
            busy={cancel.isPending}
            onConfirm={() => cancel.mutate(undefined)}
          />
          <ErrorMessage error={cancel.error} />
        </Section>
      )}
    </Page>
  );
}

/** Failures worth sending again with the same key: the provider did not answer (or the network broke). */
function retryable(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status >= 500;
}

function PayForm({ reservation }: { reservation: Reservation }) {
  const [token, setToken] = useState('');
  // One payment attempt, one Idempotency-Key: a retry of the same attempt (same token, after the
  // provider failed) sends the same key, so it is charged at most once; a new token is a new attempt.
  const [attempt, setAttempt] = useState<{ key: string; token: string } | null>(null);
  const pay = useCommand(({ key, paymentToken }: { key: string; paymentToken: string }) =>
    api.post<Reservation>(`/ticketing/reservations/${reservation.reservationId}/confirm`, { paymentToken }, { headers: { 'Idempotency-Key': key } }),
  );
  const submit = () => {
    const current = attempt && attempt.token === token ? attempt : { key: newUuid(), token };
    setAttempt(current);
    pay.mutate(
      { key: current.key, paymentToken: token },
      {
        onError: (error) => {
          if (!retryable(error)) setAttempt(null);
        },
      },
    );
  };
  const retrying = !!attempt && attempt.token === token && !!pay.error && retryable(pay.error);
  return (
    <Section title="Pay">
      <Form label="Pay" onSubmit={submit}>
        <Field
          label="Payment token"
          required
          maxLength={200}
          autoComplete="off"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          placeholder="tok_visa"
          hint={
            <>
              The token your card provider gave for this payment. Payments here go to a simulated provider: it accepts any token, except <code>tok_declined</code>{' '}
              (the card is declined) and <code>tok_error</code> (the provider fails; you can try again, and are never charged twice).
            </>
          }
        />
        <ErrorMessage error={pay.error} />
        {retrying && <p className="hint">The provider did not answer. Paying again retries the same payment, so you are charged at most once.</p>}
        <Button type="submit" busy={pay.isPending}>
          {retrying ? 'Try the payment again' : `Pay ${reservation.total}`}
        </Button>
      </Form>
    </Section>
  );
}
