import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AsProcessManager, type ProcessManager, type Recorded } from '@app/core';
import type { RecordedEvent } from '@app/eventstore';
import type { PayoutMade } from '../../contract/accounting.events';
import { SendPayoutEmailCommand } from './send-payout-email.command';

export const PAYOUT_EMAILS_PROCESS_MANAGER = 'payout-emails';

/**
 * Every payout is emailed to its worker. A failed delivery is recorded and thrown, so the runtime
 * retries it with backoff; an email already delivered is not sent again on a redelivered payout.
 */
@Injectable()
@AsProcessManager({ name: PAYOUT_EMAILS_PROCESS_MANAGER, eventTypes: ['PayoutMade'] satisfies PayoutMade['type'][] })
export class PayoutEmailsProcessManager implements ProcessManager {
  constructor(private readonly commands: CommandBus) {}

  async handle(recorded: RecordedEvent): Promise<void> {
    const event = recorded as Recorded<PayoutMade>;
    if (event.type !== 'PayoutMade') return;
    await this.commands.execute(new SendPayoutEmailCommand(event.data));
  }
}
