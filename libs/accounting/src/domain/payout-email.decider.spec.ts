import { NotFoundError } from '@app/core/domain';
import { spec } from '@app/core/testing/given-when-then';
import type { PayoutEmailFailed, PayoutEmailRequested, PayoutEmailSent } from '../contract/accounting.events';
import { payoutEmailDecider, type RecordEmailFailed, type RecordEmailSent, type RequestPayoutEmail } from './payout-email.decider';

const emailId = 'f0000000-0000-4000-8000-000000000001';
const request: RequestPayoutEmail = {
  type: 'RequestPayoutEmail',
  data: {
    emailId,
    payoutId: 'e0000000-0000-4000-8000-000000000009',
    userId: 'a0000000-0000-4000-8000-000000000001',
    to: 'ann@popug.io',
    subject: 'Your payout',
    text: 'You were paid 33',
    amount: 33,
    date: '2024-05-01',
    requestedAt: '2024-05-02T00:00:02.000Z',
  },
};
const requested: PayoutEmailRequested = { type: 'PayoutEmailRequested', data: request.data };
const fail: RecordEmailFailed = { type: 'RecordEmailFailed', data: { emailId, error: '421 try later', failedAt: '2024-05-02T00:00:03.000Z' } };
const failed = (attempt: number): PayoutEmailFailed => ({ type: 'PayoutEmailFailed', data: { ...fail.data, attempt } });
const send: RecordEmailSent = { type: 'RecordEmailSent', data: { emailId, sentAt: '2024-05-02T00:00:04.000Z' } };
const sent = (attempt: number): PayoutEmailSent => ({ type: 'PayoutEmailSent', data: { ...send.data, attempt } });

describe('payout email decider', () => {
  it('is requested once per payout', () => {
    spec(payoutEmailDecider).given([]).when(request).then([requested]);
    spec(payoutEmailDecider).given([requested]).when(request).then([]);
  });

  it('numbers each attempt, failures included', () => {
    spec(payoutEmailDecider).given([requested]).when(fail).then([failed(1)]);
    spec(payoutEmailDecider).given([requested, failed(1)]).when(fail).then([failed(2)]);
    spec(payoutEmailDecider).given([requested, failed(1), failed(2)]).when(send).then([sent(3)]);
  });

  it('records nothing more once delivered', () => {
    spec(payoutEmailDecider).given([requested, sent(1)]).when(send).then([]);
    spec(payoutEmailDecider).given([requested, sent(1)]).when(fail).then([]);
    spec(payoutEmailDecider)
      .given([requested, { type: 'PayoutEmailStoredInOutbox', data: { emailId, storedAt: '2024-05-02T00:00:03.000Z' } }])
      .when({ type: 'StoreEmailInOutbox', data: { emailId, storedAt: '2024-05-02T00:00:09.000Z' } })
      .then([]);
  });

  it('cannot deliver an email nobody asked for', () => {
    spec(payoutEmailDecider).given([]).when(send).thenThrows(NotFoundError);
  });
});
