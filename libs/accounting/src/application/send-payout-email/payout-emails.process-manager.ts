import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AsProcessManager, type ProcessManager, type Recorded } from '@app/core';
import type { PayoutEmailEvent, PayoutMade } from '../../contract/accounting.events';
import { SendPayoutEmailCommand } from './send-payout-email.command';

const PAYOUT_EMAILS_PROCESS_MANAGER = 'payout-emails';

/**
 * Every payout is emailed to its worker. A failed delivery is recorded and thrown, so the runtime
 * retries it with backoff; an email already delivered is not sent again on a redelivered payout.
 */
@Injectable()
@AsProcessManager<PayoutMade>({
  name: PAYOUT_EMAILS_PROCESS_MANAGER,
  eventTypes: ['PayoutMade'] satisfies PayoutMade['type'][],
  // A worker's payout emails go out in the order of the payouts; different workers' concurrently.
  keyOf: (event) => event.data.userId,
  emits: ['PayoutEmailRequested', 'PayoutEmailSent', 'PayoutEmailFailed', 'PayoutEmailStoredInOutbox'] satisfies PayoutEmailEvent['type'][],
})
export class PayoutEmailsProcessManager implements ProcessManager<PayoutMade> {
  constructor(private readonly commands: CommandBus) {}

  async handle(event: Recorded<PayoutMade>): Promise<void> {
    await this.commands.execute(new SendPayoutEmailCommand(event.data));
  }
}
