import { addDays, assertNever, type Decider } from '@app/core/domain';
import type { LedgerPostingAccepted, LedgerPostingEvent, PostingBody } from '../contract/ledger.events';
import type { EventCodeState } from './event-code.decider';
import type { LedgerAccountState } from './ledger-account.decider';
import {
  LedgerAccountBlocked,
  LedgerAccountNotFound,
  LedgerCreditNotAllowed,
  LedgerDateRefOutOfWindow,
  LedgerDebitNotAllowed,
  LedgerEventCodeInactive,
  LedgerEventCodeNotFound,
  LedgerTraceKeyConflict,
} from './ledger.errors';
import { isAmountCents } from './money';

/**
 * Accept a posting. Besides the client's body it carries what the handler read and decided: the
 * event code's and the account's state as folded from their streams just before (so a change to
 * either applies to every posting accepted after it), today's date and the retroactive window in
 * days (so the window check is pure), the new posting's id and the handler's clock. A change
 * that commits between the handler's read and the posting's append is not seen by it: the append
 * checks the posting's own stream only.
 */
export type AcceptPosting = {
  type: 'AcceptPosting';
  data: {
    posting: PostingBody;
    postingId: string;
    acceptedAt: string;
    today: string;
    retroactiveDays: number;
    eventCode: EventCodeState;
    account: LedgerAccountState;
  };
};

export type PostingCommand = AcceptPosting;

export type PostingState = { status: 'none' } | { status: 'accepted'; posting: LedgerPostingAccepted['data'] };

/** The body fields a repeat of a trace key is compared on, in the order a conflict names them. */
const BODY_FIELDS: readonly (keyof PostingBody)[] = ['branch', 'account', 'amountCents', 'debitCredit', 'eventCode', 'description', 'details', 'dateRef'];

/**
 * One posting, in stream `ledger-posting-<traceKey>`: the trace key is the stream, so taking it is
 * an append that expects no stream, and two racing requests with one key cannot both win. The same
 * body again decides nothing (the handler answers the first result from the state); another body
 * is a conflict naming the fields that differ. A repeat is answered as it was, even once the event
 * code or the account changed: its rules were checked when it was accepted.
 */
export const postingDecider: Decider<PostingCommand, LedgerPostingEvent, PostingState> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'AcceptPosting': {
        const { posting, postingId, acceptedAt, today, retroactiveDays, eventCode, account } = command.data;
        if (state.status !== 'none') {
          const differing = differingFields(state.posting, posting);
          if (differing.length > 0) throw new LedgerTraceKeyConflict(posting.traceKey, differing);
          return [];
        }
        if (!isAmountCents(posting.amountCents)) throw new Error(`Posting ${posting.traceKey}: ${posting.amountCents} is not an amount of cents`);
        if (!Number.isInteger(retroactiveDays) || retroactiveDays < 0) throw new Error(`A retroactive window of ${retroactiveDays} days`);
        checkEventCode(posting, eventCode);
        checkAccount(posting, account);
        const window = { from: addDays(today, -retroactiveDays), to: today };
        if (posting.dateRef < window.from || posting.dateRef > window.to) throw new LedgerDateRefOutOfWindow(posting.dateRef, window);
        return [{ type: 'LedgerPostingAccepted', data: { ...posting, postingId, acceptedAt, window } }];
      }
      default:
        return assertNever(command.type);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'LedgerPostingAccepted':
        return { status: 'accepted', posting: event.data };
      case 'LedgerPostingApplied':
        // Written to the posting's own stream by earlier builds; applied postings are recorded in
        // batches now (applied-postings.decider.ts), and a posting's stream is its acceptance.
        return state;
      default:
        return assertNever(event);
    }
  },
};

// In the order of API.md's rules: the event code first, then the account.
function checkEventCode(posting: PostingBody, eventCode: EventCodeState): void {
  if (eventCode.status === 'none' || eventCode.code !== posting.eventCode) throw new LedgerEventCodeNotFound(posting.eventCode);
  if (!eventCode.active) throw new LedgerEventCodeInactive(posting.eventCode);
  if (posting.debitCredit === 'D' && !eventCode.allowDebit) throw new LedgerDebitNotAllowed(posting.eventCode);
  if (posting.debitCredit === 'C' && !eventCode.allowCredit) throw new LedgerCreditNotAllowed(posting.eventCode);
}

function checkAccount(posting: PostingBody, account: LedgerAccountState): void {
  const same = account.status === 'open' && account.branch === posting.branch && account.account === posting.account;
  if (!same) throw new LedgerAccountNotFound(posting.branch, posting.account);
  if (account.blocked) throw new LedgerAccountBlocked(posting.branch, posting.account);
}

/** The body fields in which two postings of one trace key differ; `details` compared as JSON values (key order aside). */
export function differingFields(first: PostingBody, again: PostingBody): (keyof PostingBody)[] {
  return BODY_FIELDS.filter((field) => (field === 'details' ? !sameJson(first.details, again.details) : first[field] !== again[field]));
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  const bRecord = b as Record<string, unknown>;
  const aRecord = a as Record<string, unknown>;
  return aKeys.length === bKeys.length && aKeys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && sameJson(aRecord[key], bRecord[key]));
}

export function postingStream(traceKey: string): string {
  return `ledger-posting-${traceKey}`;
}
