import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';

export interface ActivationChange {
  userId: string;
  active: boolean;
  position: Position;
}

/** The user can no longer log in or refresh, and their tokens stop working at once. */
export class DeactivateUserCommand extends Command<ActivationChange> {
  constructor(readonly userId: string) {
    super();
  }
}
