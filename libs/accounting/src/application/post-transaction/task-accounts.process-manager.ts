import { Injectable } from '@nestjs/common';
import { AsProcessManager, deterministicId, type ProcessManager, utcDateOf } from '@app/core';
import type { RecordedEvent } from '@app/eventstore';
import type { TaskAssigned, TaskCompleted } from '@app/tasks';
import { TaskPricer } from '../price-task/task-pricer';
import { AccountPoster } from './account-poster';

export const TASK_ACCOUNTS_PROCESS_MANAGER = 'task-accounts';

/**
 * Every assignment (the first and each reshuffle's) debits the assignee the task's fee; completion
 * credits the reward. The transaction id derives from the task event's id, so a redelivered event
 * charges nothing twice. The billing day is the UTC date on which the task event was recorded, a
 * fact of the log, so a replay puts every transaction on the same day.
 *
 * An assignment can reach this process manager before the pricer has priced its task (they run
 * independently), so it makes sure the task is priced first; whoever prices first wins.
 */
@Injectable()
@AsProcessManager({ name: TASK_ACCOUNTS_PROCESS_MANAGER, eventTypes: ['TaskAssigned', 'TaskCompleted'] })
export class TaskAccountsProcessManager implements ProcessManager {
  constructor(
    private readonly pricer: TaskPricer,
    private readonly poster: AccountPoster,
  ) {}

  async handle(event: RecordedEvent): Promise<void> {
    const charge = chargeOf(event);
    if (!charge) return;
    const task = await this.pricer.ensurePriced(charge.taskId);
    await this.poster.post(
      {
        kind: charge.kind,
        transactionId: deterministicId(event.id, charge.kind),
        userId: charge.userId,
        amount: charge.kind === 'debit' ? task.assignmentFee : task.completionReward,
        taskId: charge.taskId,
        taskTitle: task.title,
        description: task.description,
        at: charge.at,
      },
      utcDateOf(event.recordedAt),
    );
  }
}

/** Who a task event charges or pays, and when: the assignee the fee, the completer the reward. */
function chargeOf(event: RecordedEvent): { kind: 'debit' | 'credit'; taskId: string; userId: string; at: string } | null {
  if (event.type === 'TaskAssigned') {
    const { taskId, assigneeId, assignedAt } = event.data as TaskAssigned['data'];
    return { kind: 'debit', taskId, userId: assigneeId, at: assignedAt };
  }
  if (event.type === 'TaskCompleted') {
    const { taskId, completedBy, completedAt } = event.data as TaskCompleted['data'];
    return { kind: 'credit', taskId, userId: completedBy, at: completedAt };
  }
  return null;
}
