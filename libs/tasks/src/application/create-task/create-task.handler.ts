import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { taskDecider, taskStream } from '../../domain/task.decider';
import { NoWorkers } from '../../domain/tasks.errors';
import { drawWorker, WorkerDirectory } from '../worker-directory';
import { CreateTaskCommand, type CreatedTask } from './create-task.command';

/** Draws the id, the time and the assignee here, so the decider stays pure and the events record them. */
@Injectable()
@CommandHandler(CreateTaskCommand)
export class CreateTaskHandler implements ICommandHandler<CreateTaskCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly workers: WorkerDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ title, jiraId, description }: CreateTaskCommand): Promise<CreatedTask> {
    const workerIds = await this.workers.workerIds();
    if (workerIds.length === 0) throw new NoWorkers();
    const taskId = randomUUID();
    const assigneeId = drawWorker(workerIds);
    const { position } = await this.commands.run(
      taskDecider,
      taskStream(taskId),
      { type: 'CreateTask', data: { taskId, title, jiraId, description, assigneeId, createdAt: this.clock.now().toISOString() } },
      { newStream: true },
    );
    return { taskId, assigneeId, position: position! };
  }
}
