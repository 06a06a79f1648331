import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { taskDecider, taskStream } from '../../domain/task.decider';
import { CompleteTaskCommand, type CompletedTask } from './complete-task.command';

/** Two completions racing append at the same revision: the loser re-decides and finds it completed. */
@Injectable()
@CommandHandler(CompleteTaskCommand)
export class CompleteTaskHandler implements ICommandHandler<CompleteTaskCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ taskId, userId }: CompleteTaskCommand): Promise<CompletedTask> {
    const { position } = await this.commands.run(taskDecider, taskStream(taskId), {
      type: 'CompleteTask',
      data: { taskId, userId, completedAt: this.clock.now().toISOString() },
    });
    return { taskId, position: position! };
  }
}
