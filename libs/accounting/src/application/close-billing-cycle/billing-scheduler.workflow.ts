import { Inject, Injectable } from '@nestjs/common';
import { AsWorkflow, type TimerFired, type Workflow, type WorkflowDecision, type WorkflowEvent } from '@app/core';
import { addDays, assertNever, utcDateOf } from '@app/core/domain';
import { ACCOUNTING_CONFIG, type AccountingConfig } from '../accounting.config';
import { CloseDueBillingCycleCommand } from './close-due-billing-cycle.command';

/** The end of a billing day came: its close is due. */
export type CloseDue = TimerFired<`close-${string}`, { date: string }>;

export type BillingScheduleState = {
  /** The last day whose close came due (and was sent); null before the first. */
  lastDue: string | null;
};

/**
 * The worker's end of day, as a workflow with one instance that runs from the first launch: a
 * timer per day, at BILLING_DAY_END (UTC) the day after. When it fires, the day's close is sent
 * through the bus (`CloseDueBillingCycleCommand`, which does nothing for a day already settled or
 * before the log, and closes every earlier day still open first), and the next day's timer is set.
 *
 * At the first launch the day then due (yesterday once the day end has passed, else the day
 * before) is closed at once. Timers are durable, so days missed while no worker ran fire one after
 * another when one starts again: each day is caught up, in order. A close that fails is retried by
 * the runtime; one that died half-way is finished by the next. A changed BILLING_DAY_END applies from
 * the close after the pending one on.
 */
@Injectable()
@AsWorkflow({
  name: 'billing-scheduler',
  eventTypes: [],
  startsAtLaunch: 'daily-close',
  emits: ['BillingCycleCloseStarted', 'BillingCycleAccountsListed'],
})
export class BillingSchedulerWorkflow implements Workflow<never, BillingScheduleState, CloseDueBillingCycleCommand, CloseDue> {
  constructor(@Inject(ACCOUNTING_CONFIG) private readonly config: Pick<AccountingConfig, 'billingDayEndMinutes'>) {}

  initialState(): BillingScheduleState {
    return { lastDue: null };
  }

  decide(event: WorkflowEvent<never, CloseDue>): WorkflowDecision<CloseDueBillingCycleCommand> {
    switch (event.type) {
      case 'WorkflowStarted':
        // The day before yesterday, whose close is due whatever the day end: its firing sets
        // yesterday's, due at once or later today. Named from the event alone, so a day end
        // changed later moves the pending close without changing which days the timers were for.
        return { schedule: [this.closeOf(addDays(utcDateOf(event.data.startedAt), -2))] };
      case 'WorkflowTimerFired': {
        const { date } = event.data.data;
        return { commands: [new CloseDueBillingCycleCommand(date)], schedule: [this.closeOf(addDays(date, 1))] };
      }
      default:
        return assertNever(event);
    }
  }

  evolve(state: BillingScheduleState, event: WorkflowEvent<never, CloseDue>): BillingScheduleState {
    switch (event.type) {
      case 'WorkflowStarted':
        return state;
      case 'WorkflowTimerFired':
        return { lastDue: event.data.data.date };
      default:
        return assertNever(event);
    }
  }

  /** The timer of a day's close: the next day, at the day end. */
  private closeOf(date: string) {
    const minutes = this.config.billingDayEndMinutes;
    const at = new Date(`${addDays(date, 1)}T00:00:00.000Z`);
    at.setUTCMinutes(minutes);
    return { id: `close-${date}`, at: at.toISOString(), data: { date } };
  }
}
