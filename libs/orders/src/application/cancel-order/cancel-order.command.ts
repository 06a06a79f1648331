import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';

export class CancelOrderCommand extends Command<{ orderId: string; position: Position }> {
  constructor(
    readonly orderId: string,
    readonly asker: { userId: string; role: string },
  ) {
    super();
  }
}
