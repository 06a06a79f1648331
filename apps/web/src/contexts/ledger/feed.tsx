import { useEffect, useState } from 'react';
import { subscribe, url } from '../../api';
import type { PageProps } from '../../pages';
import { href, Link, navigate } from '../../router';
import { Button, ErrorMessage, Field, Form, formatInstant, Page, Section } from '../../ui';
import { accountPath, Amount, type PostingStatus } from './types';

/** How many postings the feed keeps on screen. */
const KEEP = 50;

export function FeedPage({ query }: PageProps) {
  const branch = query.get('branch') ?? '';
  const account = query.get('account') ?? '';
  const [draft, setDraft] = useState({ branch, account });
  const [postings, setPostings] = useState<PostingStatus[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [listening, setListening] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    setPostings([]);
    setError(null);
    setListening(true);
    subscribe(
      url('/ledger/stream', branch && account ? { branch, account } : {}),
      (event, data) => {
        if (event !== 'posting.applied') return;
        const posting = data as PostingStatus;
        setPostings((seen) => [posting, ...seen.filter((item) => item.postingId !== posting.postingId)].slice(0, KEEP));
      },
      controller.signal,
    )
      .catch((failure: unknown) => setError(failure))
      .finally(() => setListening(false));
    return () => controller.abort();
  }, [branch, account]);
  const onlyOne = (draft.branch.trim() === '') !== (draft.account.trim() === '');
  return (
    <Page title="Live feed">
      <Section title="Which postings">
        <Form onSubmit={() => !onlyOne && navigate(href('/ledger/feed', { branch: draft.branch.trim(), account: draft.account.trim() }))} label="Which postings">
          <div className="row">
            <Field label="Branch" maxLength={20} value={draft.branch} onChange={(event) => setDraft({ ...draft, branch: event.target.value })} />
            <Field label="Account" maxLength={20} value={draft.account} onChange={(event) => setDraft({ ...draft, account: event.target.value })} />
            <div className="field">
              <Button type="submit" className="" disabled={onlyOne}>
                Follow
              </Button>
            </div>
          </div>
          <p className="hint">Both for one account, both empty for every account.</p>
        </Form>
      </Section>
      <Section title={branch && account ? `Postings applied to ${branch}/${account}` : 'Postings applied to every account'}>
        <ErrorMessage error={error} />
        <p className="hint">
          {listening ? 'Listening: each posting appears here once the balances include it, newest first' : 'Not listening.'}
          {listening && ` (the latest ${KEEP} are kept).`}
        </p>
        <ol className="ledger-feed" aria-live="polite" aria-relevant="additions" aria-label="Applied postings, newest first">
          {postings.map((posting) => (
            <li key={posting.postingId}>
              <span className="ledger-feed-amount">
                <Amount value={posting.amount} side={posting.debitCredit} />
              </span>{' '}
              <Link to={accountPath(posting.branch, posting.account)}>{`${posting.branch}/${posting.account}`}</Link> · {posting.description} · event code {posting.eventCode} · for{' '}
              {posting.dateRef} · applied {formatInstant(posting.appliedAt)}
            </li>
          ))}
        </ol>
        {postings.length === 0 && <p className="empty">No posting applied since this page opened.</p>}
      </Section>
    </Page>
  );
}
