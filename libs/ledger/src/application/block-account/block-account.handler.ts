import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { ledgerAccountDecider, ledgerAccountStream } from '../../domain/ledger-account.decider';
import { type AccountBlockState, BlockAccountCommand } from './block-account.command';

/** Blocking a blocked account (or unblocking an open one) writes nothing and answers the same state. */
@Injectable()
@CommandHandler(BlockAccountCommand)
export class BlockAccountHandler implements ICommandHandler<BlockAccountCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ branch, account, block }: BlockAccountCommand): Promise<AccountBlockState> {
    const at = this.clock.now().toISOString();
    const { position } = await this.commands.run(
      ledgerAccountDecider,
      ledgerAccountStream(branch, account),
      block
        ? { type: 'BlockAccount', data: { branch, account, reason: block.reason, blockedAt: at } }
        : { type: 'UnblockAccount', data: { branch, account, unblockedAt: at } },
    );
    return { branch, account, blocked: block !== null, position: position! };
  }
}
