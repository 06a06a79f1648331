import { Command } from '@nestjs/cqrs';
import type { Recorded } from '@app/core';
import type { LedgerPostingAccepted } from '../../contract/ledger.events';

/** The balances include the posting `accepted` recorded: the first event of its stream, from whose id the applied event's is derived. */
export class RecordPostingAppliedCommand extends Command<void> {
  constructor(readonly accepted: Recorded<LedgerPostingAccepted>) {
    super();
  }
}
