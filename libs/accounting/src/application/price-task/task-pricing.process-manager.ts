import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AsProcessManager, type ProcessManager, type Recorded } from '@app/core';
import type { RecordedEvent } from '@app/eventstore';
import type { TaskCreated } from '@app/tasks/contract';
import { PriceTaskCommand } from './price-task.command';

export const TASK_PRICING_PROCESS_MANAGER = 'task-pricing';

/** Prices every task once, when it is created; a redelivered TaskCreated keeps the first price. */
@Injectable()
@AsProcessManager({ name: TASK_PRICING_PROCESS_MANAGER, eventTypes: ['TaskCreated'] satisfies TaskCreated['type'][] })
export class TaskPricingProcessManager implements ProcessManager {
  constructor(private readonly commands: CommandBus) {}

  async handle(recorded: RecordedEvent): Promise<void> {
    const event = recorded as Recorded<TaskCreated>;
    if (event.type !== 'TaskCreated') return;
    const { taskId, title, description } = event.data;
    await this.commands.execute(new PriceTaskCommand(taskId, title, description));
  }
}
