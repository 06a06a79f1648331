import type { DomainEvent } from '@app/core/domain';

/**
 * The ledger's published language. Streams:
 * - `ledger-event-code-<code>`: one per event code, its registration and changes;
 * - `ledger-account-<branch>:<account>`: one per account, opened, blocked and unblocked (branch and
 *   account hold letters, digits and `-`, never `:`, so the name is unambiguous);
 * - `ledger-posting-<traceKey>`: one per posting, keyed by the client's trace key. Accepting a
 *   posting appends to a stream that must not exist yet, so of two racing requests with one trace
 *   key only one wins; the other re-reads and answers as a repeat or a conflict. No stream holds a
 *   balance: postings to one account never contend, and the balances are a projection's;
 * - `ledger-applied-<batchId>`: one per batch of postings the balances came to include, a
 *   LedgerPostingApplied for each, written in one append by the reaction that watches the balances;
 * - `ledger-webhook-<webhookId>`: one per webhook, its registration (the URL and signing secret);
 * - `ledger-webhook-delivery-<deliveryId>`: one per (webhook, applied posting) pair, the outcome of
 *   each attempt to deliver it and each manual retry. A delivery has no event of its own before its
 *   first attempt: it exists because the log holds the webhook and then the posting's application.
 *
 * Amounts are whole cents as JSON numbers: one posting is at most 999,999,999,999,999 cents, below
 * 2^53, so a number holds it exactly (see domain/money.ts). Dates are `YYYY-MM-DD` (UTC), instants
 * ISO-8601 UTC.
 */

export type DebitCredit = 'D' | 'C';

/** What an event code allows, as registered or as changed. */
export type EventCodeSettings = { description: string; allowDebit: boolean; allowCredit: boolean; active: boolean };

/** An event code was registered; postings name it, and it says which sides they may take. */
export type LedgerEventCodeRegistered = DomainEvent<'LedgerEventCodeRegistered', { code: number } & EventCodeSettings & { registeredAt: string }>;

/**
 * An event code's settings changed: every setting as it is after the change, and which ones changed.
 * A change applies to every posting accepted after it, none before.
 */
export type LedgerEventCodeChanged = DomainEvent<
  'LedgerEventCodeChanged',
  { code: number } & EventCodeSettings & { changed: readonly (keyof EventCodeSettings)[]; changedAt: string }
>;

export type LedgerEventCodeEvent = LedgerEventCodeRegistered | LedgerEventCodeChanged;

export type LedgerAccountOpened = DomainEvent<'LedgerAccountOpened', { branch: string; account: string; holder: string; openedAt: string }>;

/** A precautionary freeze: postings to the account are refused until it is unblocked. */
export type LedgerAccountBlocked = DomainEvent<'LedgerAccountBlocked', { branch: string; account: string; reason: string; blockedAt: string }>;

export type LedgerAccountUnblocked = DomainEvent<'LedgerAccountUnblocked', { branch: string; account: string; unblockedAt: string }>;

export type LedgerAccountEvent = LedgerAccountOpened | LedgerAccountBlocked | LedgerAccountUnblocked;

/** The fields of a posting the client sends, as the ledger keeps them; a repeat of a trace key is compared on these. */
export type PostingBody = {
  traceKey: string;
  branch: string;
  account: string;
  amountCents: number;
  debitCredit: DebitCredit;
  eventCode: number;
  description: string;
  /** The client's own JSON object, kept as it came. */
  details: Record<string, unknown>;
  dateRef: string;
};

/**
 * A posting is in the log: durable, its trace key taken, not yet in the balances. It carries all
 * that statements, status, webhooks and reconciliation show, so none of them reads anything else.
 * `acceptedAt`: the accepting handler's clock. `window`: the reference dates the posting could take
 * when it was accepted (`LEDGER_RETROACTIVE_DAYS` before today, up to today), kept so an audit can
 * tell why a date was allowed after the setting changed.
 */
export type LedgerPostingAccepted = DomainEvent<
  'LedgerPostingAccepted',
  PostingBody & { postingId: string; acceptedAt: string; window: { from: string; to: string } }
>;

/**
 * The balances include the posting. Recorded once the balances projection has applied it, with
 * the recording process's clock, in a stream of the batch it was recorded with: projections never read the clock, so the moment a posting was
 * applied is a fact of the log like any other, which the postings read model, the
 * `posting.applied` webhooks and the server-sent events all follow, and a replay reproduces.
 */
export type LedgerPostingApplied = DomainEvent<
  'LedgerPostingApplied',
  { postingId: string; traceKey: string; branch: string; account: string; dateRef: string; appliedAt: string }
>;

export type LedgerPostingEvent = LedgerPostingAccepted | LedgerPostingApplied;

/** Where every reconciliation is recorded, one event each, so the latest is the stream's last. */
export const LEDGER_RECONCILIATIONS_STREAM = 'ledger-reconciliations';

/** One value of one day of one account that the balances read model has otherwise than the postings make it. */
export type LedgerReconciliationDifference = {
  branch: string;
  account: string;
  dateRef: string;
  field: 'totalDebit' | 'totalCredit' | 'accumulatedDebit' | 'accumulatedCredit';
  /** Cents as the postings make them; null for a day the read model has and the postings do not. */
  expected: string | null;
  /** Cents as the read model has them; null for a day with postings the read model lacks. */
  actual: string | null;
};

/**
 * The balances were recomputed from the accepted postings up to `upTo` and compared with the read
 * model. Amounts are whole cents as decimal strings (sums outgrow 2^53). `differences` holds at
 * most the first thousand; `differenceCount` counts them all.
 */
export type LedgerReconciled = DomainEvent<
  'LedgerReconciled',
  {
    reconciliationId: string;
    checkedAccounts: number;
    checkedDays: number;
    differenceCount: number;
    differences: LedgerReconciliationDifference[];
    upTo: string | null;
    at: string;
  }
>;

/**
 * A webhook was registered: every posting applied after this event is POSTed to `url`, signed with
 * `secret` (HMAC-SHA256 of the body), until the end. The secret is in the log because signing needs
 * it on every delivery, in whatever process delivers; no read model or answer holds it.
 */
export type LedgerWebhookRegistered = DomainEvent<'LedgerWebhookRegistered', { webhookId: string; url: string; secret: string; registeredAt: string }>;

/** What names a delivery on every event of its stream. */
export type DeliveryKey = { deliveryId: string; webhookId: string; traceKey: string };

/** The receiver answered 2xx to attempt `attempt` (1 for the first). */
export type LedgerWebhookDelivered = DomainEvent<'LedgerWebhookDelivered', DeliveryKey & { attempt: number; httpStatus: number; deliveredAt: string }>;

/**
 * Attempt `attempt` failed with `error` (an HTTP status, a timeout, a refused connection). The
 * delivery is tried again at `retryAt`; null: never again unless an operator asks, it is a dead
 * letter (`failed`), because the answer was one that retrying cannot change (a 4xx other than 408
 * and 429) or this was the last attempt (`LEDGER_WEBHOOK_MAX_ATTEMPTS`).
 */
export type LedgerWebhookAttemptFailed = DomainEvent<
  'LedgerWebhookAttemptFailed',
  DeliveryKey & { attempt: number; error: string; attemptedAt: string; retryAt: string | null }
>;

/** An operator asked for the delivery to be sent again at once (POST .../deliveries/:id/retry). */
export type LedgerWebhookRetryRequested = DomainEvent<'LedgerWebhookRetryRequested', DeliveryKey & { requestedAt: string }>;

export type LedgerWebhookDeliveryEvent = LedgerWebhookDelivered | LedgerWebhookAttemptFailed | LedgerWebhookRetryRequested;

export type LedgerEvent = LedgerEventCodeEvent | LedgerAccountEvent | LedgerPostingEvent | LedgerReconciled | LedgerWebhookRegistered | LedgerWebhookDeliveryEvent;
