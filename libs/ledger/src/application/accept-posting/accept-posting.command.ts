import { Command } from '@nestjs/cqrs';
import type { PostingBody } from '@app/ledger/contract';
import type { Position } from '@app/eventstore';
import type { EventCodeState } from '../../domain/event-code.decider';
import type { LedgerAccountState } from '../../domain/ledger-account.decider';

export interface PostingResult {
  postingId: string;
  traceKey: string;
  status: 'accepted';
  /** The position of the posting's acceptance (a repeat answers the first one's). */
  position: Position;
  /** The trace key was accepted before with this body: this is the first result again. */
  replayed: boolean;
}

/** What a posting is checked against: the event code's and the account's state as read. */
export interface PostingRules {
  eventCode: EventCodeState;
  account: LedgerAccountState;
}

/**
 * Accept one posting. `rules`, when given, are the event code's and account's state as a batch
 * read them at its start; otherwise the handler reads them itself, just before deciding.
 */
export class AcceptPostingCommand extends Command<PostingResult> {
  constructor(
    readonly posting: PostingBody,
    readonly rules?: PostingRules,
  ) {
    super();
  }
}
