import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner, deterministicId } from '@app/core';
import { postingDecider, postingStream } from '../../domain/posting.decider';
import { RecordPostingAppliedCommand } from './record-posting-applied.command';

/** Records when the balances came to include a posting, with this process's clock; a posting applied already records nothing. */
@Injectable()
@CommandHandler(RecordPostingAppliedCommand)
export class RecordPostingAppliedHandler implements ICommandHandler<RecordPostingAppliedCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ traceKey, causedBy }: RecordPostingAppliedCommand): Promise<void> {
    await this.commands.run(
      postingDecider,
      postingStream(traceKey),
      { type: 'RecordPostingApplied', data: { traceKey, appliedAt: this.clock.now().toISOString() } },
      { eventIds: [deterministicId(causedBy, 'posting-applied')] },
    );
  }
}
