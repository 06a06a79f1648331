import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, type Page as ListPage } from '../../api';
import type { PageProps } from '../../pages';
import { href, Link } from '../../router';
import { useMe } from '../../session';
import { Button, ErrorMessage, Field, Form, formatInstant, Loaded, Notice, Page, Pager, Section, Status, Table, TextArea, today, useCommand, usePager } from '../../ui';
import { BalanceChart } from './balance-chart';
import { Statement } from './statement';
import { accountApi, accountPath, addDays, type DayBalance, type LedgerAccount } from './types';

const PAGE_SIZES = ['10', '25', '50', '100'] as const;

export function AccountsPage() {
  const me = useMe();
  const [branchDraft, setBranchDraft] = useState('');
  const [branch, setBranch] = useState('');
  const [limit, setLimit] = useState('25');
  const pager = usePager([branch, limit]);
  const accounts = useQuery({
    queryKey: ['ledger', 'accounts', branch, limit, pager.cursor],
    queryFn: () => api.get<ListPage<LedgerAccount>>('/ledger/accounts', { branch, limit, cursor: pager.cursor }),
  });
  const [blocking, setBlocking] = useState<LedgerAccount | null>(null);
  const unblock = useCommand((row: LedgerAccount) => api.post(`${accountApi(row.branch, row.account)}/unblock`));
  return (
    <Page title="Ledger accounts">
      <OpenAccount />
      <Section title="Accounts">
        <Form onSubmit={() => setBranch(branchDraft.trim())} label="Filter accounts">
          <div className="row">
            <Field label="Branch" hint="Leave empty for every branch" value={branchDraft} onChange={(event) => setBranchDraft(event.target.value)} />
            <div className="field">
              <label htmlFor="ledger-accounts-limit">Per page</label>
              <select id="ledger-accounts-limit" value={limit} onChange={(event) => setLimit(event.target.value)}>
                {PAGE_SIZES.map((size) => (
                  <option key={size}>{size}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <Button type="submit" className="">
                Show
              </Button>
            </div>
          </div>
        </Form>
        <ErrorMessage error={unblock.error} />
        <Loaded query={accounts}>
          {(page) => (
            <>
              <Table
                caption={branch ? `Accounts of branch ${branch}` : 'Every account'}
                rows={page.items}
                rowKey={(row) => `${row.branch}/${row.account}`}
                empty={branch ? `Branch ${branch} has no account.` : 'No account is open yet.'}
                columns={[
                  { header: 'Branch', cell: (row) => row.branch },
                  { header: 'Account', cell: (row) => <Link to={accountPath(row.branch, row.account)}>{row.account}</Link> },
                  { header: 'Holder', cell: (row) => row.holder },
                  { header: 'State', cell: (row) => <Status value={row.blocked ? 'blocked' : 'open'} /> },
                  { header: 'Opened', cell: (row) => formatInstant(row.openedAt) },
                  ...(me.role === 'admin'
                    ? [
                        {
                          header: 'Actions',
                          cell: (row: LedgerAccount) =>
                            row.blocked ? (
                              <Button
                                type="button"
                                className=""
                                busy={unblock.isPending && unblock.variables === row}
                                aria-label={`Unblock account ${row.branch}/${row.account}`}
                                onClick={() => unblock.mutate(row)}
                              >
                                Unblock
                              </Button>
                            ) : (
                              <Button type="button" className="danger" aria-label={`Block account ${row.branch}/${row.account}`} onClick={() => setBlocking(row)}>
                                Block
                              </Button>
                            ),
                        },
                      ]
                    : []),
                ]}
              />
              <Pager pager={pager} nextCursor={page.nextCursor} />
            </>
          )}
        </Loaded>
      </Section>
      {blocking && <BlockAccount account={blocking} onClose={() => setBlocking(null)} />}
    </Page>
  );
}

function OpenAccount() {
  const [draft, setDraft] = useState({ branch: '', account: '', holder: '' });
  const [opened, setOpened] = useState<{ branch: string; account: string } | null>(null);
  const open = useCommand(
    () => api.post<{ branch: string; account: string }>('/ledger/accounts', { branch: draft.branch.trim(), account: draft.account.trim(), holder: draft.holder.trim() }),
    (result) => {
      setOpened(result);
      setDraft({ branch: draft.branch, account: '', holder: '' });
    },
  );
  return (
    <Section title="Open an account">
      <Form onSubmit={() => open.mutate(undefined)} label="Open an account">
        <div className="row">
          <Field label="Branch" name="branch" required maxLength={20} hint="1 to 20 letters, digits or -" value={draft.branch} onChange={(event) => setDraft({ ...draft, branch: event.target.value })} />
          <Field label="Account" name="account" required maxLength={20} hint="1 to 20 letters, digits or -" value={draft.account} onChange={(event) => setDraft({ ...draft, account: event.target.value })} />
          <Field label="Holder" name="holder" required maxLength={200} value={draft.holder} onChange={(event) => setDraft({ ...draft, holder: event.target.value })} />
        </div>
        <ErrorMessage error={open.error} />
        {opened && !open.isPending && !open.error && (
          <Notice>
            Account opened: <Link to={accountPath(opened.branch, opened.account)}>{`${opened.branch}/${opened.account}`}</Link>
          </Notice>
        )}
        <Button type="submit" busy={open.isPending}>
          Open account
        </Button>
      </Form>
    </Section>
  );
}

function BlockAccount({ account, onClose }: { account: LedgerAccount; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const heading = useRef<HTMLDivElement>(null);
  useEffect(() => heading.current?.querySelector('textarea')?.focus(), [account]);
  const block = useCommand(() => api.post(`${accountApi(account.branch, account.account)}/block`, { reason }), onClose);
  return (
    <div ref={heading}>
      <Section title={`Block account ${account.branch}/${account.account}`}>
        <p>Postings to a blocked account are refused (LEDGER_ACCOUNT_BLOCKED) until an admin unblocks it.</p>
        <Form onSubmit={() => block.mutate(undefined)} label={`Block account ${account.branch}/${account.account}`}>
          <TextArea label="Reason" required maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />
          <ErrorMessage error={block.error} />
          <div className="row">
            <Button type="submit" className="danger" busy={block.isPending}>
              Block account
            </Button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </Form>
      </Section>
    </div>
  );
}

export function AccountPage({ params, query }: PageProps) {
  const branch = params.branch ?? '';
  const account = params.account ?? '';
  const base = accountApi(branch, account);
  const [date, setDate] = useState(() => query.get('date') ?? today());
  const balance = useQuery({ queryKey: ['ledger', 'balance', branch, account, date], queryFn: () => api.get<DayBalance>(`${base}/balance`, { date }), enabled: !!date });
  const [range, setRange] = useState(() => ({ from: query.get('from') ?? addDays(today(), -30), to: query.get('to') ?? today() }));
  const [rangeDraft, setRangeDraft] = useState(range);
  return (
    <Page title={`Account ${branch}/${account}`}>
      <p className="ledger-links">
        <Link to={href('/ledger/postings', { branch, account })}>Post to this account</Link>
        <Link to={href('/ledger/feed', { branch, account })}>Live feed of this account</Link>
        <Link to="/ledger/accounts">Every account</Link>
      </p>
      <Section title="Balance">
        <div className="row">
          <Field label="As of the end of" type="date" required value={date} onChange={(event) => setDate(event.target.value)} />
        </div>
        {!date && <p className="hint">Pick a date to see the balance as of its end.</p>}
        {date && (
          <Loaded query={balance}>
            {(day) => (
              <dl className="facts">
                <dt>Balance</dt>
                <dd data-testid="ledger-balance">{day.balance}</dd>
                <dt>Accumulated credit</dt>
                <dd data-testid="ledger-accumulated-credit">{day.accumulatedCredit}</dd>
                <dt>Accumulated debit</dt>
                <dd data-testid="ledger-accumulated-debit">{day.accumulatedDebit}</dd>
                <dt>Credits on {day.dateRef}</dt>
                <dd>{day.totalCredit}</dd>
                <dt>Debits on {day.dateRef}</dt>
                <dd>{day.totalDebit}</dd>
              </dl>
            )}
          </Loaded>
        )}
      </Section>
      <Section title="Period">
        <Form onSubmit={() => setRange(rangeDraft)} label="Period">
          <div className="row">
            <Field label="From" type="date" required value={rangeDraft.from} onChange={(event) => setRangeDraft({ ...rangeDraft, from: event.target.value })} />
            <Field label="To" type="date" required value={rangeDraft.to} onChange={(event) => setRangeDraft({ ...rangeDraft, to: event.target.value })} />
            <div className="field">
              <Button type="submit" className="">
                Show period
              </Button>
            </div>
          </div>
          <p className="hint">The daily balances cover at most 366 days.</p>
        </Form>
      </Section>
      <BalanceChart branch={branch} account={account} from={range.from} to={range.to} />
      <Statement branch={branch} account={account} from={range.from} to={range.to} />
    </Page>
  );
}
