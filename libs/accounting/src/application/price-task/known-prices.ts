import { Injectable } from '@nestjs/common';
import type { PricedTask } from './price-task.command';

/** How many task prices are kept: a task is charged soon after its creation is priced. */
const MAX_KNOWN = 10_000;

/**
 * The task prices this process has recorded or read, shared by the handler that prices a task and
 * the one that charges it: a price never changes once set, so the charge on a task's assignment
 * finds the price its creation just drew, without reading the price list back. Bounded: the
 * oldest are forgotten, and read again if ever needed.
 */
@Injectable()
export class KnownPrices {
  private readonly byTask = new Map<string, PricedTask>();

  get(taskId: string): PricedTask | undefined {
    return this.byTask.get(taskId);
  }

  remember(task: PricedTask): PricedTask {
    this.byTask.set(task.taskId, task);
    if (this.byTask.size > MAX_KNOWN) this.byTask.delete(this.byTask.keys().next().value!);
    return task;
  }
}
