import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from 'knex';
import {
  AsProcessManager,
  CLOCK,
  type Clock,
  CommandRunner,
  deterministicId,
  KNEX,
  type ProcessManager,
} from '@app/core';
import type { RecordedEvent } from '@app/eventstore';
import type { UserRow } from '@app/projections/identity/users.projection';
import type { PayoutMade } from '../../domain/accounting.events';
import { payoutEmailDecider, payoutEmailStream } from '../../domain/payout-email.decider';
import { PayoutMailer } from './payout-mailer';

export const PAYOUT_EMAILS_PROCESS_MANAGER = 'payout-emails';

/**
 * Every payout is emailed to its worker: the email is requested once (its id derives from the
 * payout), then delivered. A failed delivery is recorded and thrown, so the runtime retries it with
 * backoff; an email already delivered is not sent again on a redelivered payout.
 */
@Injectable()
@AsProcessManager({ name: PAYOUT_EMAILS_PROCESS_MANAGER, eventTypes: ['PayoutMade'] })
export class PayoutEmailsProcessManager implements ProcessManager {
  constructor(
    private readonly commands: CommandRunner,
    private readonly mailer: PayoutMailer,
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle(event: RecordedEvent): Promise<void> {
    const payout = event.data as PayoutMade['data'];
    const emailId = deterministicId(payout.payoutId, 'email');
    const stream = payoutEmailStream(emailId);
    let { state } = await this.commands.load(payoutEmailDecider, stream);
    if (state.status === 'none') {
      const user = await this.recipient(payout.userId);
      await this.commands.run(payoutEmailDecider, stream, {
        type: 'RequestPayoutEmail',
        data: {
          emailId,
          payoutId: payout.payoutId,
          userId: payout.userId,
          to: user.email,
          subject: `Your UberPopug payout for ${payout.date}: ${payout.amount}`,
          text: `Hello ${user.name},\n\nyour balance of ${payout.date} was paid out: ${payout.amount}.\n\nUberPopug Inc. accounting`,
          amount: payout.amount,
          date: payout.date,
          requestedAt: this.clock.now().toISOString(),
        },
      });
      ({ state } = await this.commands.load(payoutEmailDecider, stream));
    }
    if (state.status === 'none' || state.status === 'sent' || state.status === 'outbox') return;
    await this.mailer.deliver(state.email);
  }

  /** A worker is a user long before a payout; should the users read model lag (a rebuild), the retry waits for it. */
  private async recipient(userId: string): Promise<UserRow> {
    const user = await this.knex<UserRow>('users').where({ user_id: userId }).first();
    if (!user) throw new Error(`User ${userId} is not in the users read model yet: cannot address the payout email`);
    return user;
  }
}
