import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Page as ApiPage } from '../../api';
import { href, Link, navigate } from '../../router';
import { hasRole, useMe } from '../../session';
import { Field, Form, formatInstant, Loaded, Page, Pager, Table, usePager } from '../../ui';
import type { ShowListItem } from './types';

export const ORGANISERS = ['admin', 'manager'] as const;

export function ShowsPage({ query }: { query: URLSearchParams }) {
  const me = useMe();
  const from = query.get('from') ?? '';
  const [draft, setDraft] = useState(from);
  const pager = usePager([from]);
  const shows = useQuery({
    queryKey: ['ticketing', 'shows', from, pager.cursor],
    queryFn: () => api.get<ApiPage<ShowListItem>>('/ticketing/shows', { from, cursor: pager.cursor, limit: 20 }),
    refetchInterval: 5000,
  });
  const organiser = hasRole(me, ORGANISERS);
  return (
    <Page title="Shows" actions={organiser ? <Link to="/ticketing/shows/new">Create a show</Link> : undefined}>
      <Form label="Filter shows" onSubmit={() => navigate(href('/ticketing/shows', { from: draft }))}>
        <div className="row">
          <Field label="Starting from" type="date" value={draft} onChange={(event) => setDraft(event.target.value)} hint="Only shows starting on or after this day (UTC). Leave empty for every show." />
          <div className="field">
            <button type="submit">Show</button>
          </div>
        </div>
      </Form>
      <Loaded query={shows}>
        {(page) => (
          <>
            <Table
              caption={from ? `Shows from ${from}` : 'Every show'}
              rows={page.items}
              rowKey={(show) => show.showId}
              empty={from ? 'No shows from that day on.' : 'No shows yet.'}
              columns={[
                { header: 'Show', cell: (show) => <Link to={`/ticketing/shows/${show.showId}`}>{show.title}</Link> },
                { header: 'Venue', cell: (show) => show.venue },
                { header: 'Starts', cell: (show) => formatInstant(show.startsAt) },
                { header: 'Available', cell: (show) => show.available, numeric: true },
                { header: 'Held', cell: (show) => show.held, numeric: true },
                { header: 'Sold', cell: (show) => show.sold, numeric: true },
                ...(organiser ? [{ header: 'Sales', cell: (show: ShowListItem) => <Link to={`/ticketing/shows/${show.showId}/sales`} aria-label={`Sales of ${show.title}`}>Sales</Link> }] : []),
              ]}
            />
            <Pager pager={pager} nextCursor={page.nextCursor} />
          </>
        )}
      </Loaded>
    </Page>
  );
}
