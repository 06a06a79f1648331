import { Command } from '@nestjs/cqrs';

/** The balances include the posting of `traceKey`; `causedBy`: the acceptance reacted to, from which the event's id is derived. */
export class RecordPostingAppliedCommand extends Command<void> {
  constructor(
    readonly traceKey: string,
    readonly causedBy: string,
  ) {
    super();
  }
}
