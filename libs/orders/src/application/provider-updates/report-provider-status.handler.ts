import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import type { Position } from '@app/eventstore';
import { subOrderDecider, subOrderStream } from '../../domain/sub-order.decider';
import { ReportProviderStatusCommand } from './report-provider-status.command';

/** Records a provider's update on the sub-order's own stream: once per provider event id, a backwards one as ignored. */
@Injectable()
@CommandHandler(ReportProviderStatusCommand)
export class ReportProviderStatusHandler implements ICommandHandler<ReportProviderStatusCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ update }: ReportProviderStatusCommand): Promise<{ position: Position | null; recorded: boolean }> {
    const { events, position } = await this.commands.run(subOrderDecider, subOrderStream(update.subOrderId), {
      type: 'ReportStatus',
      data: { ...update, receivedAt: this.clock.now().toISOString() },
    });
    return { position, recorded: events.length > 0 };
  }
}
