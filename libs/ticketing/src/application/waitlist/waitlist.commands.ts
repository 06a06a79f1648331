import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';

export interface JoinedWaitlist {
  waitlistId: string;
  place: number;
  position: Position;
}

export class JoinWaitlistCommand extends Command<JoinedWaitlist> {
  constructor(
    readonly showId: string,
    readonly customerId: string,
    readonly quantity: number,
  ) {
    super();
  }
}

export class LeaveWaitlistCommand extends Command<{ position: Position }> {
  constructor(
    readonly waitlistId: string,
    readonly customerId: string,
  ) {
    super();
  }
}
