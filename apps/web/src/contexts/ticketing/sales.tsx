import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { Link } from '../../router';
import { formatInstant, Loaded, Page, Section } from '../../ui';
import type { Sales, Show } from './types';

export function SalesPage({ params }: { params: Record<string, string> }) {
  const showId = params.showId!;
  const show = useQuery({ queryKey: ['ticketing', 'show-name', showId], queryFn: () => api.get<Show>(`/ticketing/shows/${showId}`), staleTime: 60_000 });
  const sales = useQuery({ queryKey: ['ticketing', 'sales', showId], queryFn: () => api.get<Sales>(`/ticketing/shows/${showId}/sales`), refetchInterval: 2000 });
  return (
    <Page title={show.data ? `Sales of ${show.data.title}` : 'Sales'}>
      {show.data && (
        <p>
          <Link to={`/ticketing/shows/${showId}`}>{show.data.title}</Link>, {show.data.venue}, {formatInstant(show.data.startsAt)}
        </p>
      )}
      <Loaded query={sales}>
        {(data) => (
          <>
            <Section title="Seats and revenue">
              <dl className="facts" data-testid="sales">
                <dt>Sold</dt>
                <dd>{data.sold}</dd>
                <dt>Held</dt>
                <dd>{data.held}</dd>
                <dt>Available</dt>
                <dd>{data.available}</dd>
                <dt>Revenue</dt>
                <dd data-testid="sales-revenue">{data.revenue}</dd>
              </dl>
              <p className="hint">Revenue counts confirmed reservations only; refunded ones are out.</p>
            </Section>
            <Section title="Reservations">
              <dl className="facts">
                <dt>Held</dt>
                <dd>{data.reservations.held}</dd>
                <dt>Confirmed</dt>
                <dd>{data.reservations.confirmed}</dd>
                <dt>Expired</dt>
                <dd>{data.reservations.expired}</dd>
                <dt>Cancelled</dt>
                <dd>{data.reservations.cancelled}</dd>
                <dt>Refunded</dt>
                <dd>{data.reservations.refunded}</dd>
              </dl>
            </Section>
          </>
        )}
      </Loaded>
    </Page>
  );
}
