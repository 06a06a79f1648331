import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { Link } from '../../router';
import { useMe } from '../../session';
import { Button, ConfirmButton, ErrorMessage, Field, Form, formatInstant, Loaded, Notice, Page, Section, Status, Table, useCommand } from '../../ui';

import type { Reservation, WaitlistEntry } from './types';

export function MyReservationsPage() {
  const reservations = useQuery({ queryKey: ['ticketing', 'reservations', 'mine'], queryFn: () => api.get<{ items: Reservation[] }>('/ticketing/reservations/mine'), refetchInterval: 5000 });
  return (
    <Page title="My reservations">
      <Loaded query={reservations}>
        {({ items }) => (
          <Table
            caption="My reservations, newest first"
            rows={[...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt))}
            rowKey={(reservation) => reservation.reservationId}
            empty="No reservations yet. Pick seats on a show's page."
            columns={[
              { header: 'Reserved', cell: (r) => <Link to={`/ticketing/reservations/${r.reservationId}`}>{formatInstant(r.createdAt)}</Link> },
              { header: 'Seats', cell: (r) => r.seats.join(', ') },
              { header: 'Total', cell: (r) => r.total, numeric: true },
              { header: 'Status', cell: (r) => <Status value={r.status} /> },
              { header: 'Show', cell: (r) => <Link to={`/ticketing/shows/${r.showId}`} aria-label={`The show of the reservation of ${r.seats.join(', ')}`}>Show</Link> },
            ]}
          />
        )}
      </Loaded>
    </Page>
  );
}

export function MyWaitlistPage() {
  const entries = useQuery({ queryKey: ['ticketing', 'waitlist', 'mine'], queryFn: () => api.get<WaitlistEntry[]>('/ticketing/waitlist/mine'), refetchInterval: 5000 });
  const leave = useCommand((waitlistId: string) => api.delete(`/ticketing/waitlist/${waitlistId}`));
  return (
    <Page title="My waitlist">
      <p className="hint">When seats come back to a sold-out show, they are held for the first in line whose number of seats fits; pay for them on the reservation.</p>
      <ErrorMessage error={leave.error} />
      <Loaded query={entries}>
        {(rows) => (
          <Table
            caption="My places in line"
            rows={rows}
            rowKey={(entry) => entry.waitlistId}
            empty="You are on no waitlist. Join one from a sold-out show's page."
            columns={[
              { header: 'Show', cell: (entry) => <Link to={`/ticketing/shows/${entry.showId}`}>Show</Link> },
              { header: 'Seats', cell: (entry) => entry.quantity, numeric: true },
              { header: 'Place', cell: (entry) => entry.place, numeric: true },
              { header: 'Status', cell: (entry) => <Status value={entry.status} /> },
              {
                header: 'Offer',
                cell: (entry) => (entry.reservationId ? <Link to={`/ticketing/reservations/${entry.reservationId}`}>Seats held for you</Link> : '—'),
              },
              {
                header: 'Leave',
                cell: (entry) =>
                  entry.status === 'waiting' ? (
                    <Button type="button" className="" busy={leave.isPending && leave.variables === entry.waitlistId} onClick={() => leave.mutate(entry.waitlistId)} aria-label={`Leave place ${entry.place} for ${entry.quantity} seats`}>
                      Leave
                    </Button>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
        )}
      </Loaded>
    </Page>
  );
}

export function PersonalDataPage() {
  const me = useMe();
  const [fullName, setFullName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const save = useCommand(() => api.put<{ fullName: string; email: string; phone: string | null }>('/ticketing/customers/me', { fullName, email, ...(phone ? { phone } : {}) }));
  const forget = useCommand(() => api.delete(`/ticketing/customers/${me.userId}/personal-data`), () => save.reset());
  return (
    <Page title="My details for tickets">
      <Section title="Name on my tickets">
        <p className="hint">Printed on your tickets and shown on your reservations. Stored encrypted under a key of your own.</p>
        <Form label="My details for tickets" onSubmit={() => (forget.reset(), save.mutate(undefined))}>
          <Field label="Full name" required maxLength={200} autoComplete="name" value={fullName} onChange={(event) => setFullName(event.target.value)} />
          <Field label="Email" type="email" required maxLength={254} autoComplete="email" value={email} onChange={(event) => setEmail(event.target.value)} />
          <Field label="Phone (optional)" type="tel" maxLength={32} autoComplete="tel" value={phone} onChange={(event) => setPhone(event.target.value)} hint="Digits, spaces, +, - and parentheses." />
          <ErrorMessage error={save.error} />
          {save.data && (
            <Notice>
              Saved: {save.data.fullName}, {save.data.email}
              {save.data.phone ? `, ${save.data.phone}` : ''}.
            </Notice>
          )}
          <Button type="submit" busy={save.isPending}>
            Save my details
          </Button>
        </Form>
      </Section>
      <Section title="Forget my personal data">
        <p>
          Your key is destroyed: your reservations show no name from then on, and nothing kept can be read back to your details. Your tickets stay valid. This cannot be undone.
        </p>
        <ConfirmButton label="Forget my personal data" question="Destroy your personal data for good?" confirmLabel="Yes, forget it" busy={forget.isPending} onConfirm={() => forget.mutate(undefined)} />
        <ErrorMessage error={forget.error} />
        {forget.isSuccess && <Notice>Forgotten. Your reservations no longer show your details.</Notice>}
      </Section>
    </Page>
  );
}
