import { Command } from '@nestjs/cqrs';

/** The `billing-close` workflow's: carry the negative balance a worker's day closed with into their next open day. */
export class CarryBalanceCommand extends Command<string> {
  constructor(
    readonly userId: string,
    readonly fromDate: string,
    readonly amount: number,
  ) {
    super();
  }
}
