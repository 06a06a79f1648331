import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner, deterministicId } from '@app/core';
import { postingDecider, postingStream } from '../../domain/posting.decider';
import { RecordPostingAppliedCommand } from './record-posting-applied.command';

/**
 * Records when the balances came to include a posting, with this process's clock; a posting
 * applied already records nothing. The reaction holds the posting's acceptance, the first event of
 * its stream, so the first attempt decides on it without reading the stream and appends expecting
 * only it there: one write per posting. A redelivery finds the applied event there (its id, derived
 * from the acceptance's, is the same) and records nothing.
 */
@Injectable()
@CommandHandler(RecordPostingAppliedCommand)
export class RecordPostingAppliedHandler implements ICommandHandler<RecordPostingAppliedCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ accepted }: RecordPostingAppliedCommand): Promise<void> {
    const { traceKey } = accepted.data;
    await this.commands.run(
      postingDecider,
      postingStream(traceKey),
      { type: 'RecordPostingApplied', data: { traceKey, appliedAt: this.clock.now().toISOString() } },
      { eventIds: [deterministicId(accepted.id, 'posting-applied')], known: accepted.streamName === postingStream(traceKey) && accepted.revision === 0n ? [accepted] : undefined },
    );
  }
}
