import { Command } from '@nestjs/cqrs';

/** The `billing-close` workflow's: every account of the day is closed, `payouts` workers were paid `total` in all. */
export class FinishBillingCycleCloseCommand extends Command<void> {
  constructor(
    readonly date: string,
    readonly payouts: number,
    readonly total: number,
  ) {
    super();
  }
}
