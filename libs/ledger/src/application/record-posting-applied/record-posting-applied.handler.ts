import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner, deterministicId, type Recorded } from '@app/core';
import { DuplicateEventIdError } from '@app/eventstore';
import type { LedgerPostingAccepted } from '../../contract/ledger.events';
import { type AppliedPosting, appliedPostingsDecider, appliedPostingsStream } from '../../domain/applied-postings.decider';
import { RecordPostingsAppliedCommand } from './record-posting-applied.command';

/**
 * Records when the balances came to include a batch of postings, with this process's clock: one
 * LedgerPostingApplied per posting, all in one append to a stream of their own. Each event's id
 * is derived from its posting's acceptance and the stream's from the batch's first and last, so a
 * batch delivered again writes nothing. A redelivery cut at other bounds (after a crash) meets
 * events recorded already: the store refuses their ids, and the postings are recorded one by one,
 * those recorded before refused again and passed over. (EventStoreDB does not refuse an id used in
 * another stream: there such a posting may be recorded twice; the read models keep the first.)
 */
@Injectable()
@CommandHandler(RecordPostingsAppliedCommand)
export class RecordPostingsAppliedHandler implements ICommandHandler<RecordPostingsAppliedCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ accepted }: RecordPostingsAppliedCommand): Promise<void> {
    if (accepted.length === 0) return;
    const appliedAt = this.clock.now().toISOString();
    const batchId = deterministicId(accepted[0].id, accepted[accepted.length - 1].id, 'postings-applied');
    try {
      await this.record(batchId, accepted, appliedAt);
    } catch (error) {
      if (!(error instanceof DuplicateEventIdError) || accepted.length === 1) throw error;
      for (const one of accepted) {
        await this.record(deterministicId(one.id, 'postings-applied'), [one], appliedAt).catch((alone: unknown) => {
          if (!(alone instanceof DuplicateEventIdError)) throw alone;
        });
      }
    }
  }

  private record(batchId: string, accepted: readonly Recorded<LedgerPostingAccepted>[], appliedAt: string): Promise<unknown> {
    const postings: AppliedPosting[] = accepted.map(({ data: { postingId, traceKey, branch, account, dateRef } }) => ({ postingId, traceKey, branch, account, dateRef }));
    return this.commands.run(
      appliedPostingsDecider,
      appliedPostingsStream(batchId),
      { type: 'RecordPostingsApplied', data: { postings, appliedAt } },
      { newStream: true, cache: false, eventIds: accepted.map((event) => deterministicId(event.id, 'posting-applied')) },
    );
  }
}
