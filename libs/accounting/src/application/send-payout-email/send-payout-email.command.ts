import { Command } from '@nestjs/cqrs';
import type { PayoutMade } from '../../contract/accounting.events';

/**
 * Email a payout to its worker: the email is requested once (its id derives from the payout),
 * then delivered unless it already was. Rejects when the delivery failed (the failure is recorded).
 */
export class SendPayoutEmailCommand extends Command<void> {
  constructor(readonly payout: PayoutMade['data']) {
    super();
  }
}
