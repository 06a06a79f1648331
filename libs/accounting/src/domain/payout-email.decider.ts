import { assertNever, type Decider, NotFoundError } from '@app/core/domain';
import type { PayoutEmailEvent, PayoutEmailRequested } from '../contract/accounting.events';

export type RequestPayoutEmail = { type: 'RequestPayoutEmail'; data: PayoutEmailRequested['data'] };
export type RecordEmailSent = { type: 'RecordEmailSent'; data: { emailId: string; sentAt: string } };
export type RecordEmailFailed = { type: 'RecordEmailFailed'; data: { emailId: string; error: string; failedAt: string } };
export type StoreEmailInOutbox = { type: 'StoreEmailInOutbox'; data: { emailId: string; storedAt: string } };
export type PayoutEmailCommand = RequestPayoutEmail | RecordEmailSent | RecordEmailFailed | StoreEmailInOutbox;

export type PayoutEmailState =
  | { status: 'none' }
  | { status: 'pending' | 'failed' | 'sent' | 'outbox'; email: PayoutEmailRequested['data']; attempts: number };

/**
 * One payout email, in stream `payout-email-<emailId>` (the id derived from the payout, so a payout
 * asks for its email once). It is pending until sent or stored in the outbox; each failed attempt
 * is recorded, so its status and last error can be seen while it is retried. Once delivered,
 * later outcomes (a redelivered attempt) decide nothing.
 */
export const payoutEmailDecider: Decider<PayoutEmailCommand, PayoutEmailEvent, PayoutEmailState> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    if (command.type === 'RequestPayoutEmail') return state.status === 'none' ? [{ type: 'PayoutEmailRequested', data: command.data }] : [];
    if (state.status === 'none') throw new NotFoundError('Email', command.data.emailId);
    if (state.status === 'sent' || state.status === 'outbox') return [];
    const attempt = state.attempts + 1;
    switch (command.type) {
      case 'RecordEmailSent':
        return [{ type: 'PayoutEmailSent', data: { emailId: command.data.emailId, attempt, sentAt: command.data.sentAt } }];
      case 'RecordEmailFailed':
        return [{ type: 'PayoutEmailFailed', data: { ...command.data, attempt } }];
      case 'StoreEmailInOutbox':
        return [{ type: 'PayoutEmailStoredInOutbox', data: command.data }];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'PayoutEmailRequested':
        return { status: 'pending', email: event.data, attempts: 0 };
      case 'PayoutEmailSent':
        return state.status === 'none' ? state : { ...state, status: 'sent', attempts: event.data.attempt };
      case 'PayoutEmailFailed':
        return state.status === 'none' ? state : { ...state, status: 'failed', attempts: event.data.attempt };
      case 'PayoutEmailStoredInOutbox':
        return state.status === 'none' ? state : { ...state, status: 'outbox' };
      default:
        return assertNever(event);
    }
  },
};

export function payoutEmailStream(emailId: string): string {
  return `payout-email-${emailId}`;
}
