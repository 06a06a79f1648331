import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@app/core';
import { reshuffleDecider, reshuffleStream } from '../../domain/reshuffle.decider';
import { ReassignTasksCommand, type ReassignedTasks } from './reassign-tasks.command';
import { TaskReshuffler } from './task-reshuffler';

/** Records a new reshuffle, then carries it out; if this run stops half-way, the resumer finishes it. */
@Injectable()
@CommandHandler(ReassignTasksCommand)
export class ReassignTasksHandler implements ICommandHandler<ReassignTasksCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly reshuffler: TaskReshuffler,
  ) {}

  async execute({ requestedBy }: ReassignTasksCommand): Promise<ReassignedTasks> {
    const reshuffleId = randomUUID();
    const { position } = await this.commands.run(reshuffleDecider, reshuffleStream(reshuffleId), {
      type: 'StartReshuffle',
      data: { reshuffleId, startedBy: requestedBy, startedAt: new Date().toISOString() },
    });
    return this.reshuffler.carryOut(reshuffleId, position!);
  }
}
