import { Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@app/core';
import { addDays } from '@app/core/domain';
import { accountDecider, accountStream } from '../../domain/account.decider';
import { AccountDayAlreadyClosed } from '../../domain/accounting.errors';
import { CarryBalanceCommand } from './carry-balance.command';

/** Far more days than any close can lag behind; a bound, so a bug cannot loop forever. */
const MAX_DAYS_AHEAD = 366;

/**
 * Carries a day's negative closing balance into the worker's next open day (`BalanceCarriedIn`),
 * walking past days already closed. Idempotent: a day that holds the carry from `fromDate`
 * (`carriedFrom`) ends the walk, so it is carried once. Resolves to the day it is in.
 */
@Injectable()
@CommandHandler(CarryBalanceCommand)
export class CarryBalanceHandler implements ICommandHandler<CarryBalanceCommand> {
  constructor(private readonly commands: CommandRunner) {}

  async execute({ userId, fromDate, amount }: CarryBalanceCommand): Promise<string> {
    let date = addDays(fromDate, 1);
    for (let days = 0; days < MAX_DAYS_AHEAD; days++, date = addDays(date, 1)) {
      const stream = accountStream(userId, date);
      const { state } = await this.commands.load(accountDecider, stream);
      if (state.carriedFrom.has(fromDate)) return date;
      if (state.closed) continue;
      try {
        await this.commands.run(accountDecider, stream, { type: 'CarryBalanceIn', data: { userId, date, fromDate, amount } });
        return date;
      } catch (error) {
        // Closed since it was read: the walk goes on.
        if (!(error instanceof AccountDayAlreadyClosed)) throw error;
      }
    }
    throw new Error(`No open billing day for ${userId} within ${MAX_DAYS_AHEAD} days of ${fromDate}`);
  }
}
