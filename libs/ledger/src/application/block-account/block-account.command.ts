import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';

export interface AccountBlockState {
  branch: string;
  account: string;
  blocked: boolean;
  position: Position;
}

/** Block (with a reason) or unblock: one use case, the freeze and its lifting. */
export class BlockAccountCommand extends Command<AccountBlockState> {
  constructor(
    readonly branch: string,
    readonly account: string,
    readonly block: { reason: string } | null,
  ) {
    super();
  }
}
