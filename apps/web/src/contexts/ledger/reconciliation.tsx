import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../../api';
import { useMe } from '../../session';
import { Button, ErrorMessage, formatInstant, Loaded, Page, Section, Table, useCommand } from '../../ui';
import type { Reconciliation } from './types';

export function ReconciliationPage() {
  const me = useMe();
  const [ran, setRan] = useState<Reconciliation | null>(null);
  const latest = useQuery({
    queryKey: ['ledger', 'reconciliations', 'latest'],
    // 404 before the first run: not an error, there is just nothing to show yet.
    queryFn: () =>
      api.get<Reconciliation>('/ledger/reconciliations/latest').catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
  });
  const run = useCommand(() => api.post<Reconciliation>('/ledger/reconciliations'), setRan);
  return (
    <Page title="Reconciliation">
      <p>A reconciliation recomputes every account's daily balances from the postings in the log and compares them with the balances the ledger shows.</p>
      {me.role === 'admin' && (
        <Section title="Run a reconciliation">
          <ErrorMessage error={run.error} />
          <Button type="button" busy={run.isPending} onClick={() => run.mutate(undefined)}>
            Run reconciliation
          </Button>
          {ran && !run.isPending && (
            <div aria-live="polite">
              <Outcome reconciliation={ran} name="This run" />
            </div>
          )}
        </Section>
      )}
      <Section title="Last reconciliation">
        <Loaded query={latest}>{(last) => (last ? <Outcome reconciliation={last} name="The last run" /> : <p className="empty">Never run.</p>)}</Loaded>
      </Section>
    </Page>
  );
}

function Outcome({ reconciliation, name }: { reconciliation: Reconciliation; name: string }) {
  const count = reconciliation.differences.length;
  return (
    <>
      <dl className="facts" data-testid="ledger-reconciliation">
        {reconciliation.at && (
          <>
            <dt>Run at</dt>
            <dd>{formatInstant(reconciliation.at)}</dd>
          </>
        )}
        <dt>Accounts checked</dt>
        <dd>{reconciliation.checkedAccounts}</dd>
        <dt>Days checked</dt>
        <dd>{reconciliation.checkedDays}</dd>
        <dt>Differences</dt>
        <dd>
          <strong className={count ? 'ledger-bad' : 'ledger-good'}>
            {count} {count === 1 ? 'difference' : 'differences'}
          </strong>
        </dd>
        <dt>Id</dt>
        <dd>
          <code className="ledger-key">{reconciliation.reconciliationId}</code>
        </dd>
      </dl>
      {count > 0 && (
        <Table
          caption={`Differences found by ${name.toLowerCase()}`}
          rows={reconciliation.differences}
          rowKey={(row) => `${row.branch}/${row.account}/${row.dateRef}/${row.field}`}
          columns={[
            { header: 'Account', cell: (row) => `${row.branch}/${row.account}` },
            { header: 'Day', cell: (row) => row.dateRef },
            { header: 'Figure', cell: (row) => row.field },
            { header: 'From the postings', cell: (row) => row.expected ?? '—', numeric: true },
            { header: 'Shown', cell: (row) => row.actual ?? '—', numeric: true },
          ]}
        />
      )}
    </>
  );
}
