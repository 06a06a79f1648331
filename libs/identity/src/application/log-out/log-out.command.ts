import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';

export interface LoggedOut {
  position: Position;
}

/** Ends the caller's session that `refreshToken` belongs to: it no longer refreshes. */
export class LogOutCommand extends Command<LoggedOut> {
  constructor(
    readonly userId: string,
    readonly refreshToken: string,
  ) {
    super();
  }
}
