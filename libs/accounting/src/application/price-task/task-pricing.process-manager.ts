import { Injectable } from '@nestjs/common';
import { AsProcessManager, type ProcessManager } from '@app/core';
import type { RecordedEvent } from '@app/eventstore';
import type { TaskCreated } from '@app/tasks';
import { TaskPricer } from './task-pricer';

export const TASK_PRICING_PROCESS_MANAGER = 'task-pricing';

/** Prices every task once, when it is created; a redelivered TaskCreated keeps the first price. */
@Injectable()
@AsProcessManager({ name: TASK_PRICING_PROCESS_MANAGER, eventTypes: ['TaskCreated'] })
export class TaskPricingProcessManager implements ProcessManager {
  constructor(private readonly pricer: TaskPricer) {}

  async handle(event: RecordedEvent): Promise<void> {
    const { taskId, title, description } = event.data as TaskCreated['data'];
    await this.pricer.ensurePriced(taskId, { title, description });
  }
}
