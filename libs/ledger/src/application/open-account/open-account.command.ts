import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';

export interface OpenedAccount {
  branch: string;
  account: string;
  position: Position;
}

export class OpenAccountCommand extends Command<OpenedAccount> {
  constructor(
    readonly branch: string,
    readonly account: string,
    readonly holder: string,
  ) {
    super();
  }
}
