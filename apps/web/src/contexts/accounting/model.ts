export type EntryKind = 'debit' | 'credit' | 'payout' | 'carried_in';

export interface Entry {
  at: string;
  kind: EntryKind;
  amount: number;
  taskId: string | null;
  taskTitle: string | null;
  description: string;
}

export interface Account {
  userId: string;
  name: string;
  balance: number;
}

export interface Earnings {
  date: string;
  earnings: number;
  fees?: number;
  rewards?: number;
}

export interface PayoutEmail {
  emailId?: string;
  userId?: string;
  to: string;
  subject: string;
  amount: number;
  date: string;
  status: string;
  attempts?: number;
  lastError?: string | null;
  text?: string;
}

export interface ClosedCycle {
  date: string;
  payouts: number;
  total?: number;
  position: string;
}

/** Which way an entry moved the balance: a credit adds, the rest take away. */
export const KIND_TEXT: Record<EntryKind, string> = {
  credit: 'credit (adds)',
  debit: 'debit (takes away)',
  payout: 'payout (takes away)',
  carried_in: 'carried in (takes away)',
};
