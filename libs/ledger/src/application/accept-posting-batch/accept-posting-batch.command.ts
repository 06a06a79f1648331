import { Command } from '@nestjs/cqrs';
import type { PostingBody } from '@app/ledger/contract';
import type { Position } from '@app/eventstore';
import type { PostingResult } from '../accept-posting/accept-posting.command';

/** One item's outcome: its result, or what it was refused with (answered by the edge as it would be alone). */
export type BatchItemOutcome = { index: number; result: PostingResult } | { index: number; error: unknown };

export interface BatchOutcome {
  /** In the order of the command's items. */
  outcomes: BatchItemOutcome[];
  /** The highest position among the postings accepted or repeated; the log's head when none was. */
  position: Position;
}

/** Postings of one batch, each with its index in the request; each is accepted or refused on its own. */
export class AcceptPostingBatchCommand extends Command<BatchOutcome> {
  constructor(readonly items: readonly { index: number; posting: PostingBody }[]) {
    super();
  }
}
