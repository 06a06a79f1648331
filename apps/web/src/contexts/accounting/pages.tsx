import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import type { PageProps } from '../../pages';
import { href, Link } from '../../router';
import { Button, DatePicker, ErrorMessage, Field, Form, Loaded, Notice, Page, Section, Select, Status, Table, useCommand, usePageDate } from '../../ui';
import { AuditLog } from './components';
import type { Account, ClosedCycle, Earnings, PayoutEmail } from './model';

export function MyAccountPage() {
  const [date, setDate] = usePageDate();
  const balance = useQuery({ queryKey: ['accounting', 'me'], queryFn: () => api.get<{ userId: string; balance: number; date: string }>('/accounting/me') });
  return (
    <Page title="My balance and audit log">
      <Section title="My balance">
        <Loaded query={balance}>
          {(mine) => (
            <p className="accounting-balance">
              <span data-testid="my-balance" className={mine.balance < 0 ? 'accounting-negative' : undefined}>
                {mine.balance}
              </span>{' '}
              <span className="hint">on my open billing day, {mine.date}</span>
            </p>
          )}
        </Loaded>
      </Section>
      <Section title="My audit log">
        <DatePicker date={date} onChange={setDate} />
        <AuditLog path="/accounting/me/audit-log" date={date} caption={`My entries on ${date}`} />
      </Section>
    </Page>
  );
}

export function useAccounts() {
  return useQuery({ queryKey: ['accounting', 'accounts'], queryFn: () => api.get<Account[]>('/accounting/accounts') });
}

export function AccountsPage() {
  const accounts = useAccounts();
  return (
    <Page title="Accounts">
      <Loaded query={accounts}>
        {(rows) => (
          <Table
            caption="Every worker’s balance today"
            rows={rows}
            rowKey={(account) => account.userId}
            empty="No accounts yet."
            columns={[
              { header: 'Name', cell: (account) => account.name },
              { header: 'Balance', numeric: true, cell: (account) => <span className={account.balance < 0 ? 'accounting-negative' : undefined}>{account.balance}</span> },
              { header: 'Audit log', cell: (account) => <Link to={`/accounting/accounts/${account.userId}`}>Audit log of {account.name}</Link> },
            ]}
          />
        )}
      </Loaded>
    </Page>
  );
}

export function AccountAuditLogPage({ params }: PageProps) {
  const userId = params.userId ?? '';
  const [date, setDate] = usePageDate();
  const accounts = useAccounts();
  const account = accounts.data?.find((row) => row.userId === userId);
  const who = account?.name ?? userId;
  return (
    <Page title={`Audit log of ${who}`}>
      {account && (
        <p>
          Balance today: <strong className={account.balance < 0 ? 'accounting-negative' : undefined}>{account.balance}</strong>
        </p>
      )}
      <Section title="Entries">
        <DatePicker date={date} onChange={setDate} />
        <AuditLog path={`/accounting/accounts/${encodeURIComponent(userId)}/audit-log`} date={date} caption={`Entries of ${who} on ${date}`} />
      </Section>
      <p>
        <Link to="/accounting/accounts">All accounts</Link>
      </p>
    </Page>
  );
}

export function EarningsPage() {
  const [date, setDate] = usePageDate();
  const earnings = useQuery({ queryKey: ['accounting', 'earnings', date], queryFn: () => api.get<Earnings>('/accounting/earnings', { date }) });
  return (
    <Page title="Earnings">
      <Section title="Management earnings of a day">
        <DatePicker date={date} onChange={setDate} />
        <Loaded query={earnings}>
          {(day) => (
            <dl className="facts">
              <dt>Earnings on {day.date}</dt>
              <dd data-testid="earnings" className={day.earnings < 0 ? 'accounting-negative' : undefined}>
                {day.earnings}
              </dd>
              {day.fees !== undefined && (
                <>
                  <dt>Assignment fees debited</dt>
                  <dd>{day.fees}</dd>
                </>
              )}
              {day.rewards !== undefined && (
                <>
                  <dt>Completion rewards credited</dt>
                  <dd>{day.rewards}</dd>
                </>
              )}
            </dl>
          )}
        </Loaded>
        <p className="hint">Fees debited minus rewards credited that day; negative when the workers earned more than they paid.</p>
      </Section>
    </Page>
  );
}

export function CloseDayPage() {
  const [date, setDate] = useState('');
  const close = useCommand(() => api.post<ClosedCycle>('/accounting/billing-cycles/close', date ? { date } : {}));
  const closed = close.data;
  return (
    <Page title="Close a day">
      <Section title="Close a billing day">
        <p>
          Closing a day pays every worker with a positive balance and emails them; a negative balance is carried into the next day. Closing the same day
          again changes nothing.
        </p>
        <Form onSubmit={() => close.mutate(undefined)} label="Close a day">
          <div className="row date-picker">
            <Field label="Day to close" type="date" min="2000-01-01" max="2100-12-31" value={date} onChange={(event) => setDate(event.target.value)} hint="Leave empty for today." />
          </div>
          <ErrorMessage error={close.error} />
          <Button type="submit" busy={close.isPending}>
            Close the day
          </Button>
        </Form>
        {closed && (
          <Notice>
            Closed {closed.date}: {closed.payouts === 1 ? '1 payout' : `${closed.payouts} payouts`}
            {closed.total !== undefined && <>, {closed.total} paid out in all</>}.{' '}
            <Link to={href('/accounting/emails')}>See the payout emails</Link>
          </Notice>
        )}
      </Section>
    </Page>
  );
}

export function EmailsPage() {
  const [userId, setUserId] = useState('');
  const accounts = useAccounts();
  const emails = useQuery({
    queryKey: ['accounting', 'emails', userId],
    queryFn: () => api.get<PayoutEmail[]>('/accounting/emails', { userId }),
    // Sending happens after the close; while some email waits, look again now and then.
    refetchInterval: (query) => (query.state.data?.some((email) => email.status === 'pending' || email.status === 'failed') ? 5000 : false),
  });
  return (
    <Page title="Payout emails" actions={<Button type="button" className="secondary" busy={emails.isFetching} onClick={() => void emails.refetch()}>Refresh</Button>}>
      <div className="row accounting-filters">
        <Select
          label="Worker"
          value={userId}
          onChange={(event) => setUserId(event.target.value)}
          options={[['', 'Every worker'], ...(accounts.data ?? []).map((account) => [account.userId, account.name] as const)]}
        />
      </div>
      <Loaded query={emails}>
        {(rows) => (
          <Table
            caption="Payout emails, oldest first"
            rows={rows}
            rowKey={(email) => email.emailId ?? `${email.to}-${email.date}`}
            empty="No payout emails yet."
            columns={[
              { header: 'To', cell: (email) => <span className="accounting-text">{email.to}</span> },
              { header: 'Subject', cell: (email) => email.subject },
              { header: 'Amount', numeric: true, cell: (email) => email.amount },
              { header: 'Day', cell: (email) => email.date },
              {
                header: 'Status',
                cell: (email) => (
                  <>
                    <Status value={email.status} />
                    {email.lastError && <span className="hint accounting-text"> {email.lastError}</span>}
                  </>
                ),
              },
            ]}
          />
        )}
      </Loaded>
    </Page>
  );
}
