import { Command } from '@nestjs/cqrs';
import type { Recorded } from '@app/core';
import type { LedgerPostingAccepted } from '../../contract/ledger.events';

/** The balances include the postings `accepted` recorded (a batch of them, in log order), from whose ids the applied events' ids are derived. */
export class RecordPostingsAppliedCommand extends Command<void> {
  constructor(readonly accepted: readonly Recorded<LedgerPostingAccepted>[]) {
    super();
  }
}
