import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { ledgerAccountDecider, ledgerAccountStream } from '../../domain/ledger-account.decider';
import { OpenAccountCommand, type OpenedAccount } from './open-account.command';

@Injectable()
@CommandHandler(OpenAccountCommand)
export class OpenAccountHandler implements ICommandHandler<OpenAccountCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ branch, account, holder }: OpenAccountCommand): Promise<OpenedAccount> {
    const { position } = await this.commands.run(ledgerAccountDecider, ledgerAccountStream(branch, account), {
      type: 'OpenAccount',
      data: { branch, account, holder, openedAt: this.clock.now().toISOString() },
    });
    return { branch, account, position: position! };
  }
}
