import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../../api';
import { Link, navigate } from '../../router';
import { hasRole, useMe } from '../../session';
import { Button, ErrorMessage, Field, Form, formatInstant, Loaded, Notice, Page, Section, Select, useCommand } from '../../ui';
import { sumPrices } from '../../money';
import { SeatLegend, SeatMap } from './seat-map';
import { ORGANISERS } from './shows';
import { MAX_SEATS, type Reservation, type Show } from './types';

export function ShowPage({ params }: { params: Record<string, string> }) {
  const showId = params.showId!;
  // No stream for shows: the map is asked for again every second, so others' holds and sales appear live.
  const show = useQuery({ queryKey: ['ticketing', 'show', showId], queryFn: () => api.get<Show>(`/ticketing/shows/${showId}`), refetchInterval: 1000 });
  return (
    <Loaded query={show}>
      {(data) => <ShowView show={data} />}
    </Loaded>
  );
}

function unavailableSeats(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.code !== 'TICKETING_SEATS_UNAVAILABLE') return [];
  const seats = error.details.seats;
  return Array.isArray(seats) ? seats.filter((seat): seat is string => typeof seat === 'string') : [];
}

function ShowView({ show }: { show: Show }) {
  const me = useMe();
  const [selected, setSelected] = useState<string[]>([]);
  const [taken, setTaken] = useState<string[]>([]);
  const [limitReached, setLimitReached] = useState(false);
  const priceOf = useMemo(() => {
    const prices = new Map<string, string>();
    for (const section of show.sections) for (const row of section.rows) for (const seat of row.seats) prices.set(seat.seatId, section.price);
    return prices;
  }, [show]);
  const statusOf = useMemo(() => new Map(show.sections.flatMap((section) => section.rows.flatMap((row) => row.seats.map((seat) => [seat.seatId, seat.status] as const)))), [show]);

  // A seat someone else took while it was selected here leaves the selection, saying so.
  useEffect(() => {
    const gone = selected.filter((seat) => statusOf.get(seat) !== 'available');
    if (gone.length > 0) {
      setSelected((seats) => seats.filter((seat) => !gone.includes(seat)));
      setTaken(gone);
    }
  }, [statusOf, selected]);

  const reserve = useCommand(
    (body: { seats: string[] } | { section: string; quantity: number }) => api.post<Reservation>(`/ticketing/shows/${show.showId}/reservations`, body),
    (reservation) => navigate(`/ticketing/reservations/${reservation.reservationId}`),
  );

  const toggle = (seatId: string) => {
    setTaken([]);
    if (selected.includes(seatId)) {
      setSelected(selected.filter((seat) => seat !== seatId));
      setLimitReached(false);
    } else if (selected.length >= MAX_SEATS) setLimitReached(true);
    else setSelected([...selected, seatId]);
  };

  const sectionNames = show.sections.map((section) => section.name);
  const [section, setSection] = useState(sectionNames[0] ?? '');
  const [quantity, setQuantity] = useState('2');
  const refused = unavailableSeats(reserve.error);
  const started = new Date(show.startsAt).getTime() <= Date.now();

  return (
    <Page title={show.title} actions={hasRole(me, ORGANISERS) ? <Link to={`/ticketing/shows/${show.showId}/sales`}>Sales of this show</Link> : undefined}>
      <Section title="About the show">
        <dl className="facts">
          <dt>Venue</dt>
          <dd>{show.venue}</dd>
          <dt>Starts</dt>
          <dd>{formatInstant(show.startsAt)}</dd>
          <dt>Seats</dt>
          <dd data-testid="show-counts">
            {show.available} available, {show.held} held, {show.sold} sold
          </dd>
          <dt>Holds last</dt>
          <dd>{Math.round(show.holdSeconds / 60) >= 1 && show.holdSeconds % 60 === 0 ? `${show.holdSeconds / 60} min` : `${show.holdSeconds} s`} before payment</dd>
        </dl>
        {started && <p className="hint">This show has started; its seats can no longer be reserved.</p>}
      </Section>
      <Section title="Choose your seats">
        <p className="hint">
          Press seats to select them (at most {MAX_SEATS}), then reserve them. The map follows other customers' holds and sales as they happen.
        </p>
        <SeatLegend />
        <SeatMap show={show} selected={selected} onToggle={toggle} />
        <div className="ticketing-selection" aria-live="polite">
          {selected.length === 0 ? (
            <p>No seats selected.</p>
          ) : (
            <p>
              Selected {selected.length} of at most {MAX_SEATS}: {selected.join(', ')}. Total {sumPrices(selected.map((seat) => priceOf.get(seat) ?? '0'))}.
            </p>
          )}
          {limitReached && <p className="error">One reservation holds at most {MAX_SEATS} seats.</p>}
          {taken.length > 0 && <Notice>Taken by someone else just now, so no longer selected: {taken.join(', ')}.</Notice>}
        </div>
        {refused.length > 0 && (
          <p role="alert" className="error">
            These seats are no longer free: <strong data-testid="unavailable-seats">{refused.join(', ')}</strong>. Choose others.
          </p>
        )}
        {!refused.length && reserve.variables && 'seats' in reserve.variables && <ErrorMessage error={reserve.error} />}
        <div className="ticketing-actions">
          <Button
            type="button"
            busy={reserve.isPending && !!reserve.variables && 'seats' in reserve.variables}
            disabled={selected.length === 0}
            onClick={() => {
              setTaken([]);
              // Seats the API says are taken leave the selection; the alert names them.
              reserve.mutate({ seats: selected }, { onError: (error) => setSelected((seats) => seats.filter((seat) => !unavailableSeats(error).includes(seat))) });
            }}
          >
            Reserve selected seats
          </Button>
          {selected.length > 0 && (
            <button type="button" onClick={() => (setSelected([]), setLimitReached(false))}>
              Clear selection
            </button>
          )}
        </div>
      </Section>
      <Section title="Best available">
        <Form label="Best available" onSubmit={() => reserve.mutate({ section, quantity: Number(quantity) })}>
          <p className="hint">The best free seats of a section, side by side in one row when possible.</p>
          <div className="row">
            <Select label="Section" value={section} onChange={(event) => setSection(event.target.value)} options={show.sections.map((s) => [s.name, `${s.name} (${s.price} a seat)`] as const)} />
            <Field label="How many seats" type="number" min={1} max={MAX_SEATS} step={1} required value={quantity} onChange={(event) => setQuantity(event.target.value)} />
          </div>
          {reserve.variables && 'section' in reserve.variables && <ErrorMessage error={reserve.error} />}
          <Button type="submit" busy={reserve.isPending && !!reserve.variables && 'section' in reserve.variables}>
            Reserve best available
          </Button>
        </Form>
      </Section>
      <WaitlistJoin show={show} />
    </Page>
  );
}

function WaitlistJoin({ show }: { show: Show }) {
  const [quantity, setQuantity] = useState('2');
  const join = useCommand((count: number) => api.post<{ waitlistId: string; place: number }>(`/ticketing/shows/${show.showId}/waitlist`, { quantity: count }));
  return (
    <Section title="Waitlist">
      <Form label="Join the waitlist" onSubmit={() => join.mutate(Number(quantity))}>
        <p className="hint">
          {show.available === 0 ? 'This show is sold out. ' : ''}
          When there are not enough free seats for you, join the waitlist: seats that come back are held for the first in line whose number of seats fits, and you
          get an email.
        </p>
        <Field label="Seats wanted" type="number" min={1} max={MAX_SEATS} step={1} required value={quantity} onChange={(event) => setQuantity(event.target.value)} />
        <ErrorMessage error={join.error} />
        {join.data && (
          <Notice>
            You are number <strong data-testid="waitlist-place">{join.data.place}</strong> in line. <Link to="/ticketing/waitlist/mine">My waitlist</Link>
          </Notice>
        )}
        <Button type="submit" busy={join.isPending}>
          Join the waitlist
        </Button>
      </Form>
    </Section>
  );
}
