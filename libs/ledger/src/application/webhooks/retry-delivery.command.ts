import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';

/** Send a pending or failed delivery again at once. */
export class RetryDeliveryCommand extends Command<{ deliveryId: string; position: Position }> {
  constructor(
    readonly webhookId: string,
    readonly deliveryId: string,
  ) {
    super();
  }
}
