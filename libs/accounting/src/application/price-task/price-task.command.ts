import { Command } from '@nestjs/cqrs';
import type { TaskPrice } from '../../domain/task-pricing.decider';

/** A priced task, as the accounts need it. */
export type PricedTask = TaskPrice & { taskId: string; title: string; description: string };

/**
 * Price a task, once: a task already priced keeps its first price. The title and description come
 * from the task's TaskCreated (tasks' contract), so the audit log can name the task.
 */
export class PriceTaskCommand extends Command<PricedTask> {
  constructor(
    readonly taskId: string,
    readonly title: string,
    readonly description: string,
  ) {
    super();
  }
}
