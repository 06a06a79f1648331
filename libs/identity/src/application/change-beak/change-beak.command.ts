import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';
import type { Beak } from '../../domain/beak';

export interface BeakChange {
  userId: string;
  position: Position;
}

/** The caller's own beak; every token issued before it, access and refresh, stops working. */
export class ChangeBeakCommand extends Command<BeakChange> {
  constructor(
    readonly userId: string,
    readonly oldBeak: Beak,
    readonly newBeak: Beak,
    readonly client: string,
  ) {
    super();
  }
}
