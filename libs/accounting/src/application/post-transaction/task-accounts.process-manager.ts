import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AsProcessManager, deterministicId, type ProcessManager, type Recorded } from '@app/core';
import { utcDateOf } from '@app/core/domain';
import type { TaskEvent } from '@app/tasks/contract';
import type { AccountCredited, AccountDebited, TaskPriced } from '../../contract/accounting.events';
import { PriceTaskCommand } from '../price-task/price-task.command';
import { PostTransactionCommand, type TaskCharge } from './post-transaction.command';

export const TASK_ACCOUNTS_PROCESS_MANAGER = 'task-accounts';

/**
 * Every assignment (the first and each reshuffle's) debits the assignee the task's fee; completion
 * credits the reward. The transaction id derives from the task event's id, so a redelivered event
 * charges nothing twice. The billing day is the UTC date on which the task event was recorded, a
 * fact of the log, so a replay puts every transaction on the same day.
 *
 * The fee and the reward are the task's price, drawn on its TaskCreated. The pricing process
 * manager runs independently and may not have got there yet, so this one prices the task on its
 * TaskCreated too (whoever prices first wins): in log order the creation comes before any
 * assignment, and this process manager keeps each task's events in that order (its key is the
 * task id), so the price exists by the time the task is charged, with the title and description
 * the audit log shows, learnt from the tasks' events alone.
 */
@Injectable()
@AsProcessManager<TaskEvent>({
  name: TASK_ACCOUNTS_PROCESS_MANAGER,
  eventTypes: ['TaskCreated', 'TaskAssigned', 'TaskCompleted'] satisfies TaskEvent['type'][],
  // A task's creation (its price), assignments (debits) and completion (credit) in log order;
  // different tasks are charged concurrently.
  keyOf: (event) => event.data.taskId,
  // Its price, debits and credits: the accounts, earnings and analytics read models wait for it.
  emits: ['TaskPriced', 'AccountDebited', 'AccountCredited'] satisfies (TaskPriced | AccountDebited | AccountCredited)['type'][],
})
export class TaskAccountsProcessManager implements ProcessManager<TaskEvent> {
  constructor(private readonly commands: CommandBus) {}

  async handle(event: Recorded<TaskEvent>): Promise<void> {
    if (event.type === 'TaskCreated') {
      const { taskId, title, description } = event.data;
      await this.commands.execute(new PriceTaskCommand(taskId, title, description));
      return;
    }
    const charge = chargeOf(event);
    if (charge) await this.commands.execute(new PostTransactionCommand(charge, utcDateOf(event.recordedAt), event.position));
  }
}

/** Who a task event charges or pays, and when: the assignee the fee, the completer the reward. */
function chargeOf(event: Recorded<TaskEvent>): TaskCharge | null {
  switch (event.type) {
    case 'TaskAssigned': {
      const { taskId, assigneeId, assignedAt } = event.data;
      return { kind: 'debit', transactionId: deterministicId(event.id, 'debit'), taskId, userId: assigneeId, at: assignedAt };
    }
    case 'TaskCompleted': {
      const { taskId, completedBy, completedAt } = event.data;
      return { kind: 'credit', transactionId: deterministicId(event.id, 'credit'), taskId, userId: completedBy, at: completedAt };
    }
    default:
      return null;
  }
}
