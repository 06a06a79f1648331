import { Command } from '@nestjs/cqrs';

/** The `billing-close` workflow's: pay out and close one worker's account day (nothing for a closed one). */
export class CloseAccountDayCommand extends Command<void> {
  constructor(
    readonly userId: string,
    readonly date: string,
  ) {
    super();
  }
}
