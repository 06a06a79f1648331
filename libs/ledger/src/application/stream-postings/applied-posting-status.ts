import type { EventStore, RecordedEvent } from '@app/eventstore';
import type { LedgerPostingAccepted } from '../../contract/ledger.events';
import { formatCents } from '../../domain/money';
import { postingStream } from '../../domain/posting.decider';
import type { PostingStatus } from '../get-posting/get-posting.query';

/**
 * An applied posting's status, folded from its own stream (its LedgerPostingAccepted) and the
 * moment it was applied, as the server-sent events and the webhooks send it. Not read from the
 * postings read model: that projection may not have reached the applied event yet and would
 * answer `accepted`, while the stream has it by construction.
 */
export async function appliedPostingStatus(store: EventStore, traceKey: string, appliedAt: string): Promise<PostingStatus> {
  const accepted = (await store.readStream(postingStream(traceKey), { maxCount: 1 }))[0] as RecordedEvent<'LedgerPostingAccepted', LedgerPostingAccepted['data']>;
  if (accepted?.type !== 'LedgerPostingAccepted') throw new Error(`Posting ${traceKey} was applied but its stream does not begin with its acceptance`);
  const { postingId, branch, account, amountCents, debitCredit, eventCode, description, details, dateRef, acceptedAt } = accepted.data;
  return { postingId, traceKey, branch, account, amount: formatCents(amountCents), debitCredit, eventCode, description, details, dateRef, status: 'applied', acceptedAt, appliedAt };
}
