import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner, deterministicId } from '@app/core';
import { accountDecider, accountStream } from '../../domain/account.decider';
import { CloseAccountDayCommand } from './close-account-day.command';

/**
 * Closes one account day: a positive balance is paid out (`PayoutMade`, its id derived from the
 * worker and the day, so it is paid once however often this runs) in the same append as the
 * `AccountDayClosed`. A closed day decides nothing.
 */
@Injectable()
@CommandHandler(CloseAccountDayCommand)
export class CloseAccountDayHandler implements ICommandHandler<CloseAccountDayCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ userId, date }: CloseAccountDayCommand): Promise<void> {
    await this.commands.run(accountDecider, accountStream(userId, date), {
      type: 'CloseAccountDay',
      data: { userId, date, payoutId: deterministicId('payout', userId, date), closedAt: this.clock.now().toISOString() },
    });
  }
}
