import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AsProcessManager, type ProcessManager, type Recorded } from '@app/core';
import type { TaskCreated } from '@app/tasks/contract';
import type { TaskPriced } from '../../contract/accounting.events';
import { PriceTaskCommand } from './price-task.command';

const TASK_PRICING_PROCESS_MANAGER = 'task-pricing';

/** Prices every task once, when it is created; a redelivered TaskCreated keeps the first price. */
@Injectable()
@AsProcessManager<TaskCreated>({
  name: TASK_PRICING_PROCESS_MANAGER,
  eventTypes: ['TaskCreated'] satisfies TaskCreated['type'][],
  emits: ['TaskPriced'] satisfies TaskPriced['type'][],
})
export class TaskPricingProcessManager implements ProcessManager<TaskCreated> {
  constructor(private readonly commands: CommandBus) {}

  async handle(event: Recorded<TaskCreated>): Promise<void> {
    const { taskId, title, description } = event.data;
    await this.commands.execute(new PriceTaskCommand(taskId, title, description));
  }
}
