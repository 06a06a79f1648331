import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, type Page as ListPage } from '../../api';
import { formatInstant, Loaded, Pager, Section, Status, Table, usePager } from '../../ui';
import { accountApi, Amount, type PostingStatus } from './types';

const LIMITS = ['10', '50', '100', '500'] as const;

/** An account's postings in a period, by dateRef then by when they were accepted, a page at a time. */
export function Statement({ branch, account, from, to }: { branch: string; account: string; from: string; to: string }) {
  const [limit, setLimit] = useState('50');
  const pager = usePager([branch, account, from, to, limit]);
  const limitId = useId();
  const statement = useQuery({
    queryKey: ['ledger', 'statement', branch, account, from, to, limit, pager.cursor],
    queryFn: () => api.get<ListPage<PostingStatus>>(`${accountApi(branch, account)}/statement`, { from, to, limit, cursor: pager.cursor }),
  });
  return (
    <Section title="Statement">
      <div className="field ledger-inline">
        <label htmlFor={limitId}>Postings per page</label>
        <select id={limitId} value={limit} onChange={(event) => setLimit(event.target.value)}>
          {LIMITS.map((size) => (
            <option key={size}>{size}</option>
          ))}
        </select>
      </div>
      <Loaded query={statement}>
        {(page) => (
          <>
            <Table
              caption={`Statement from ${from} to ${to}`}
              rows={page.items}
              rowKey={(row) => row.postingId}
              empty="No postings in this period."
              columns={[
                { header: 'Date', cell: (row) => row.dateRef },
                { header: 'Description', cell: (row) => row.description },
                { header: 'Event code', cell: (row) => row.eventCode },
                { header: 'Amount', cell: (row) => <Amount value={row.amount} side={row.debitCredit} />, numeric: true },
                { header: 'Status', cell: (row) => <Status value={row.status} /> },
                { header: 'Accepted', cell: (row) => formatInstant(row.acceptedAt) },
                { header: 'Trace key', cell: (row) => <code className="ledger-key">{row.traceKey}</code> },
              ]}
            />
            <Pager pager={pager} nextCursor={page.nextCursor} />
          </>
        )}
      </Loaded>
    </Section>
  );
}
