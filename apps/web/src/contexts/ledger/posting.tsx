import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../api';
import type { PageProps } from '../../pages';
import { Link } from '../../router';
import { Button, ErrorMessage, Field, Form, Loaded, Notice, Page, Section, Select, Status, Table, today, useCommand } from '../../ui';
import { CSV_COLUMNS, type ParsedBatch, parseBatch } from './csv';
import { newUuid } from '../../ids';
import { accountPath, Amount, type BatchAnswer, type EventCode, type PostingResult, type PostingStatus, type Side } from './types';

export function useEventCodes() {
  return useQuery({ queryKey: ['ledger', 'event-codes'], queryFn: () => api.get<EventCode[]>('/ledger/event-codes') });
}

function sides(code: EventCode): string {
  return code.allowDebit && code.allowCredit ? 'debit and credit' : code.allowDebit ? 'debit only' : code.allowCredit ? 'credit only' : 'no side';
}

export function PostingPage({ query }: PageProps) {
  return (
    <Page title="Post to the ledger">
      <PostingForm branch={query.get('branch') ?? ''} account={query.get('account') ?? ''} />
      <BatchUpload />
    </Page>
  );
}

function PostingForm({ branch, account }: { branch: string; account: string }) {
  const codes = useEventCodes();
  const [traceKey, setTraceKey] = useState(newUuid);
  const [draft, setDraft] = useState({ branch, account, amount: '', side: 'C' as Side, eventCode: '', description: '', dateRef: today() });
  const [result, setResult] = useState<PostingResult | null>(null);
  const sideName = useId();
  const post = useCommand(
    (body: ReturnType<typeof bodyOf>) => api.post<PostingResult>('/ledger/postings', body),
    (answer) => {
      setResult(answer);
      setTraceKey(newUuid());
      setDraft((current) => ({ ...current, amount: '', description: '' }));
    },
  );
  const active = (codes.data ?? []).filter((code) => code.active);
  const eventCode = draft.eventCode || String(active[0]?.code ?? '');
  const bodyOf = () => ({
    traceKey,
    branch: draft.branch.trim(),
    account: draft.account.trim(),
    amount: draft.amount.trim(),
    debitCredit: draft.side,
    eventCode: Number(eventCode),
    description: draft.description.trim(),
    dateRef: draft.dateRef,
  });
  return (
    <Section title="One posting">
      <Form onSubmit={() => post.mutate(bodyOf())} label="One posting">
        <p>
          Trace key of this posting: <code className="ledger-key" data-testid="ledger-trace-key">{traceKey}</code>{' '}
          <button type="button" onClick={() => setTraceKey(newUuid())}>
            New trace key
          </button>
        </p>
        <p className="hint">Sending it again with the same trace key and the same fields answers the first result; nothing is posted twice.</p>
        <div className="row">
          <Field label="Branch" required maxLength={20} value={draft.branch} onChange={(event) => setDraft({ ...draft, branch: event.target.value })} />
          <Field label="Account" required maxLength={20} value={draft.account} onChange={(event) => setDraft({ ...draft, account: event.target.value })} />
          <Field
            label="Amount"
            required
            inputMode="decimal"
            autoComplete="off"
            pattern="[0-9]+(\.[0-9]{1,2})?"
            maxLength={16}
            hint="Positive, at most two decimals, e.g. 1500.00 or 0.5"
            value={draft.amount}
            onChange={(event) => setDraft({ ...draft, amount: event.target.value })}
          />
        </div>
        <fieldset className="ledger-sides">
          <legend>Debit or credit</legend>
          {(['C', 'D'] as const).map((side) => (
            <label key={side}>
              <input type="radio" name={sideName} value={side} checked={draft.side === side} onChange={() => setDraft({ ...draft, side })} /> {side === 'C' ? 'Credit (C)' : 'Debit (D)'}
            </label>
          ))}
        </fieldset>
        <Loaded query={codes}>
          {() =>
            active.length === 0 ? (
              <p className="error">No active event code yet: an admin registers them on the Event codes page.</p>
            ) : (
              <Select
                label="Event code"
                required
                value={eventCode}
                onChange={(event) => setDraft({ ...draft, eventCode: event.target.value })}
                options={active.map((code) => [String(code.code), `${code.code} — ${code.description} (${sides(code)})`] as const)}
              />
            )
          }
        </Loaded>
        <div className="row">
          <Field label="Description" required maxLength={500} value={draft.description} onChange={(event) => setDraft({ ...draft, description: event.target.value })} />
          <Field label="Date" type="date" required hint="Today or up to 7 days back" value={draft.dateRef} onChange={(event) => setDraft({ ...draft, dateRef: event.target.value })} />
        </div>
        <ErrorMessage error={post.error} />
        <Button type="submit" busy={post.isPending} disabled={active.length === 0}>
          Post
        </Button>
      </Form>
      {result && <Posted result={result} />}
    </Section>
  );
}

/** The answer to a posting, and whether the balances include it yet. */
function Posted({ result }: { result: PostingResult }) {
  const status = useQuery({
    queryKey: ['ledger', 'posting', result.traceKey],
    queryFn: () => api.get<PostingStatus>(`/ledger/postings/${result.traceKey}`),
    refetchInterval: (state) => (state.state.data?.status === 'applied' ? false : 1000),
  });
  return (
    <div className="ledger-result" aria-live="polite">
      <Notice>Posting {result.status}.</Notice>
      <dl className="facts" data-testid="ledger-posting-result">
        <dt>Posting id</dt>
        <dd>
          <code className="ledger-key">{result.postingId}</code>
        </dd>
        <dt>Trace key</dt>
        <dd>
          <code className="ledger-key">{result.traceKey}</code>
        </dd>
        <dt>Status</dt>
        <dd data-testid="ledger-posting-status">
          <Status value={status.data?.status ?? result.status} />
        </dd>
        <dt>Position</dt>
        <dd>{result.position}</dd>
        {status.data && (
          <>
            <dt>Posted</dt>
            <dd>
              <Amount value={status.data.amount} side={status.data.debitCredit} /> to{' '}
              <Link to={accountPath(status.data.branch, status.data.account)}>{`${status.data.branch}/${status.data.account}`}</Link> on {status.data.dateRef}
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

const EXAMPLE = `branch,account,amount,debitCredit,eventCode,description,dateRef
0001,12345-6,1500.00,C,1001,Salary,${today()}
0001,12345-6,49.90,D,1002,"Groceries, weekly",${today()}`;

function BatchUpload() {
  const [parsed, setParsed] = useState<(ParsedBatch & { file: string }) | null>(null);
  const [answer, setAnswer] = useState<BatchAnswer | null>(null);
  const [readError, setReadError] = useState<unknown>(null);
  const upload = useCommand((items: ParsedBatch['items']) => api.post<BatchAnswer>('/ledger/postings/batch', { items: items.map(({ row: _row, ...posting }) => posting) }), setAnswer);
  const choose = async (file: File | undefined) => {
    setAnswer(null);
    setReadError(null);
    upload.reset();
    if (!file) return setParsed(null);
    try {
      setParsed({ ...parseBatch(await file.text(), newUuid), file: file.name });
    } catch (error) {
      setReadError(error);
    }
  };
  const items = parsed?.items ?? [];
  return (
    <Section title="A batch from a CSV file">
      <details className="ledger-help" open>
        <summary>The file's format</summary>
        <p>
          A CSV file (comma separated, UTF-8) whose first line names the columns, in any order: <code>{CSV_COLUMNS.join(',')}</code>, and optionally{' '}
          <code>traceKey</code>. One posting per line, 1 to 1000 of them:
        </p>
        <ul>
          <li>
            <code>amount</code>: positive, at most two decimals (<code>1500.00</code>, <code>0.5</code>), no thousands separator.
          </li>
          <li>
            <code>debitCredit</code>: <code>D</code> (debit) or <code>C</code> (credit); <code>eventCode</code>: the number of an active event code.
          </li>
          <li>
            <code>dateRef</code>: <code>YYYY-MM-DD</code>, today or up to 7 days back.
          </li>
          <li>
            <code>traceKey</code>: a UUID; left out or empty, one is made for the line. Uploading the same file with its trace keys again posts nothing twice.
          </li>
          <li>A value holding a comma or a quote is written in double quotes, a quote inside it doubled.</li>
        </ul>
        <pre aria-label="An example file" tabIndex={0}>{EXAMPLE}</pre>
        <p>Each posting is accepted or refused on its own; the table below says which, and why.</p>
      </details>
      <Form onSubmit={() => upload.mutate(items)} label="Upload a batch">
        <Field label="CSV file" type="file" accept=".csv,text/csv,text/plain" onChange={(event) => void choose(event.target.files?.[0])} />
        <ErrorMessage error={readError} />
        {parsed && parsed.problems.length > 0 && (
          <div role="alert" className="error">
            {parsed.problems.map((problem) => (
              <p key={problem}>{problem}</p>
            ))}
          </div>
        )}
        {parsed && items.length > 0 && (
          <p>
            {parsed.file}: {items.length} {items.length === 1 ? 'posting' : 'postings'} read.
          </p>
        )}
        <ErrorMessage error={upload.error} />
        <Button type="submit" busy={upload.isPending} disabled={items.length === 0 || items.length > 1000}>
          {items.length === 0 ? 'Upload postings' : `Upload ${items.length} ${items.length === 1 ? 'posting' : 'postings'}`}
        </Button>
      </Form>
      {answer && <BatchResults items={items} answer={answer} />}
    </Section>
  );
}

function BatchResults({ items, answer }: { items: ParsedBatch['items']; answer: BatchAnswer }) {
  const accepted = answer.results.filter((result) => result.status < 300).length;
  return (
    <div aria-live="polite">
      <Notice>
        {accepted} of {answer.results.length} accepted, {answer.results.length - accepted} refused.
      </Notice>
      <Table
        caption="Batch results"
        rows={answer.results}
        rowKey={(result) => String(result.index)}
        columns={[
          { header: 'Posting', cell: (result) => (items[result.index]?.row ?? result.index + 1), numeric: true },
          {
            header: 'Account',
            cell: (result) => {
              const item = items[result.index];
              return item ? `${item.branch}/${item.account}` : '—';
            },
          },
          {
            header: 'Amount',
            cell: (result) => {
              const item = items[result.index];
              return item ? <Amount value={item.amount} side={item.debitCredit} /> : '—';
            },
            numeric: true,
          },
          { header: 'Status', cell: (result) => <Status value={`${result.status} ${result.status < 300 ? (result.result?.replayed ? 'repeated' : 'accepted') : 'refused'}`} /> },
          {
            header: 'Outcome',
            cell: (result) =>
              result.error ? (
                <>
                  <code className="code">{result.error.code}</code> {result.error.message}
                </>
              ) : result.result ? (
                <>
                  Posting <code className="ledger-key">{result.result.postingId}</code>
                </>
              ) : (
                '—'
              ),
          },
          { header: 'Trace key', cell: (result) => <code className="ledger-key">{result.result?.traceKey ?? items[result.index]?.traceKey ?? '—'}</code> },
        ]}
      />
    </div>
  );
}
