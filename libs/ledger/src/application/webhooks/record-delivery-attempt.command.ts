import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';
import type { DeliveryKey } from '../../contract/ledger.events';
import type { AttemptOutcome, DeliveryState } from '../../domain/webhook.decider';

/** What one attempt to deliver a posting to a webhook came to, reported by the dispatcher that made it. */
export class RecordDeliveryAttemptCommand extends Command<{ state: DeliveryState; position: Position | null; revision: bigint | null }> {
  constructor(
    readonly delivery: DeliveryKey,
    readonly attemptedAt: string,
    readonly outcome: AttemptOutcome,
  ) {
    super();
  }
}
