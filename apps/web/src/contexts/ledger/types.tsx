/** The ledger's answers as /work/shared/API.md "Ledger (FLOW)" writes them; money is always a decimal string. */

export interface LedgerAccount {
  branch: string;
  account: string;
  holder: string;
  blocked: boolean;
  openedAt: string;
}

export interface EventCode {
  code: number;
  description: string;
  allowDebit: boolean;
  allowCredit: boolean;
  active: boolean;
  createdAt: string;
}

export type Side = 'D' | 'C';

/** What POST /ledger/postings takes; `amount` is text as typed, `eventCode` a whole number. */
export interface Posting {
  traceKey: string;
  branch: string;
  account: string;
  amount: string;
  debitCredit: Side | string;
  eventCode: number | string;
  description: string;
  dateRef: string;
}

export interface PostingResult {
  postingId: string;
  traceKey: string;
  status: 'accepted';
  position: string;
  replayed?: boolean;
}

export interface PostingStatus {
  postingId: string;
  traceKey: string;
  branch: string;
  account: string;
  amount: string;
  debitCredit: Side;
  eventCode: number;
  description: string;
  details: unknown;
  dateRef: string;
  status: 'accepted' | 'applied';
  acceptedAt: string;
  appliedAt: string | null;
}

export interface DayBalance {
  dateRef: string;
  totalDebit: string;
  totalCredit: string;
  accumulatedDebit: string;
  accumulatedCredit: string;
  balance: string;
}

export interface BatchItemResult {
  index: number;
  status: number;
  result?: PostingResult;
  error?: { code: string; message: string };
}

export interface BatchAnswer {
  results: BatchItemResult[];
  position: string;
}

export interface ReconciliationDifference {
  branch: string;
  account: string;
  dateRef: string;
  field: string;
  expected: string | null;
  actual: string | null;
}

export interface Reconciliation {
  reconciliationId: string;
  checkedAccounts: number;
  checkedDays: number;
  differences: ReconciliationDifference[];
  position?: string;
  at?: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  deliveryId: string;
  traceKey: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
}

/** The path of an account's page. */
export function accountPath(branch: string, account: string): string {
  return `/ledger/accounts/${encodeURIComponent(branch)}/${encodeURIComponent(account)}`;
}

/** The API path of an account (its balance, balances, statement…). */
export function accountApi(branch: string, account: string): string {
  return `/ledger/accounts/${encodeURIComponent(branch)}/${encodeURIComponent(account)}`;
}

/** `date` (YYYY-MM-DD) moved by whole days, in UTC. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function sideName(side: string): string {
  return side === 'D' ? 'Debit' : side === 'C' ? 'Credit' : side;
}

/** An amount as the API wrote it, with its side, for reading: "D 49.50". Never computed on. */
export function Amount({ value, side }: { value: string; side?: string }) {
  return (
    <span className={side === 'D' ? 'ledger-debit' : side === 'C' ? 'ledger-credit' : undefined}>
      {side ? <abbr title={sideName(side)}>{side}</abbr> : null}
      {side ? ' ' : null}
      {value}
    </span>
  );
}
