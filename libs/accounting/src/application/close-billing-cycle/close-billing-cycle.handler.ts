import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import {
  CLOCK,
  type Clock,
  CommandRunner,
  ConsistencyWaiter,
  deterministicId,
  LOGGER,
  PLATFORM_CONFIG,
  type PlatformConfig,
  ProcessManagerLaggingError,
  ProcessManagerStore,
  ReadModels,
} from '@app/core';
import { addDays, utcDateOf } from '@app/core/domain';
import { EVENT_STORE, type EventStore, type Position } from '@app/eventstore';
import { accountsQueries } from '@app/projections/accounting/accounts/accounts.queries';
import { accountDecider, accountStream } from '../../domain/account.decider';
import { BillingDateBeforeLog, BillingDateInFuture } from '../../domain/accounting.errors';
import { billingCycleDecider, billingCycleStream } from '../../domain/billing-cycle.decider';
import { TASK_ACCOUNTS_PROCESS_MANAGER } from '../post-transaction/task-accounts.process-manager';
import { CloseBillingCycleCommand, type ClosedBillingCycle } from './close-billing-cycle.command';

/**
 * Closes billing cycles. Closing a day pays each worker with a positive balance (a PayoutMade on
 * their account day, which leads to the email) and closes every account of the day; a negative
 * balance is carried into the next day. Days close in order, so closing a day first closes every
 * earlier day that still has an open account.
 *
 * Idempotent and resumable: `BillingCycleCloseStarted` is recorded before any account is touched
 * and `BillingCycleClosed` after the last; closing an account day that is closed decides nothing,
 * and a payout is part of the same append as its day's close. So a close that died half-way is
 * finished by the next one (the scheduler's or an admin's) and pays nobody twice.
 */
@Injectable()
@CommandHandler(CloseBillingCycleCommand)
export class CloseBillingCycleHandler implements ICommandHandler<CloseBillingCycleCommand> {
  /** The first event of the log never changes once there is one. */
  private firstEventDay: string | undefined;

  constructor(
    private readonly commands: CommandRunner,
    private readonly readModels: ReadModels,
    private readonly waiter: ConsistencyWaiter,
    private readonly processManagers: ProcessManagerStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  execute({ date, signal }: CloseBillingCycleCommand): Promise<ClosedBillingCycle> {
    return this.close(date, signal);
  }

  /** Closes `date` (today when absent) and every earlier day still open. */
  private async close(date?: string, signal?: AbortSignal): Promise<ClosedBillingCycle> {
    const today = utcDateOf(this.clock.now());
    const target = date ?? today;
    if (target > today) throw new BillingDateInFuture(target, today);
    const firstDay = await this.firstDayOfLog(today);
    if (target < firstDay) throw new BillingDateBeforeLog(target, firstDay);
    await this.settle(signal);
    for (;;) {
      const earlier = await this.accounts().openDayBefore(target);
      if (!earlier) break;
      await this.closeDay(earlier, signal);
    }
    return this.closeDay(target, signal);
  }

  /**
   * The first billing day that had anything to close: the UTC day of the first event in the log,
   * or an earlier day an account was posted to (today while there is neither). No day before it is
   * ever recorded as closed.
   */
  private async firstDayOfLog(today = utcDateOf(this.clock.now())): Promise<string> {
    if (!this.firstEventDay) {
      const [first] = await this.store.readAll({ maxCount: 1 });
      if (first) this.firstEventDay = utcDateOf(first.recordedAt);
    }
    const earliestAccount = await this.accounts().earliestDay();
    return [this.firstEventDay ?? today, earliestAccount ?? today].sort()[0];
  }

  private accounts() {
    return this.readModels.use(accountsQueries);
  }

  /**
   * Lets the task events already in the log reach the accounts first, so a close sees every
   * transaction recorded before it. Past the bound it goes on: what arrives later is posted to the
   * next open day, never lost.
   */
  private async settle(signal?: AbortSignal): Promise<void> {
    const head = await this.store.headPosition();
    if (head === null) return;
    try {
      await this.processManagers.waitFor(TASK_ACCOUNTS_PROCESS_MANAGER, head, this.config.consistencyTimeoutMs, signal);
    } catch (error) {
      if (!(error instanceof ProcessManagerLaggingError)) throw error;
      this.logger.warn({ head }, 'closing a billing cycle before the task accounts caught up; later transactions go to the next day');
    }
    await this.accountsReach(head, signal);
  }

  /** Waits until the accounts read model serves `position` (or 503 READ_MODEL_LAGGING), stoppable by `signal`. */
  private accountsReach(position: Position, signal?: AbortSignal): Promise<void> {
    return this.waiter.waitFor([accountsQueries.projection], position, this.config.consistencyTimeoutMs, signal);
  }

  private async closeDay(date: string, signal?: AbortSignal): Promise<ClosedBillingCycle> {
    const stream = billingCycleStream(date);
    const started = await this.commands.run(billingCycleDecider, stream, {
      type: 'StartBillingCycleClose',
      data: { date, startedAt: this.clock.now().toISOString() },
    });
    // From here on, new work goes to the next day; the read model is brought up to what was posted before.
    await this.accountsReach(lastPosition(started.position, stream), signal);
    // Every account of the day, closed ones too: a close that died between closing an account and
    // carrying its balance is finished here. An account opened by a posting that raced the start is
    // not in the list yet; it stays open and is closed by any later close.
    const accounts = await this.accounts().userIdsOn(date);
    let payouts = 0;
    let total = 0;
    for (const userId of accounts) {
      signal?.throwIfAborted();
      const paidOut = await this.closeAccount(userId, date);
      if (paidOut > 0) {
        payouts += 1;
        total += paidOut;
      }
    }
    const { state, position } = await this.commands.run(billingCycleDecider, stream, {
      type: 'FinishBillingCycleClose',
      data: { date, payouts, total, closedAt: this.clock.now().toISOString() },
    });
    if (state.status !== 'closed') throw new Error(`Billing cycle ${date} did not close`);
    const closedAt = lastPosition(position, stream);
    // The next day's close must see the balances carried into it.
    await this.accountsReach(closedAt, signal);
    return { date, payouts: state.payouts, total: state.total, position: closedAt };
  }

  /**
   * Pays out and closes one account day (if it is open), then makes sure a negative balance is
   * carried into the next open day. Resolves to what the day paid out.
   */
  private async closeAccount(userId: string, date: string): Promise<number> {
    const { state } = await this.commands.run(accountDecider, accountStream(userId, date), {
      type: 'CloseAccountDay',
      data: { userId, date, payoutId: deterministicId('payout', userId, date), closedAt: this.clock.now().toISOString() },
    });
    if (state.balance < 0) await this.carry(userId, date, state.balance);
    return state.paidOut;
  }

  private async carry(userId: string, fromDate: string, amount: number): Promise<void> {
    for (let next = addDays(fromDate, 1); ; next = addDays(next, 1)) {
      const stream = accountStream(userId, next);
      const { state } = await this.commands.load(accountDecider, stream);
      if (state.carriedFrom.has(fromDate)) return;
      if (state.closed) continue;
      await this.commands.run(accountDecider, stream, { type: 'CarryBalanceIn', data: { userId, date: next, fromDate, amount } });
      return;
    }
  }
}

/** A billing cycle's stream has an event once its close has started. */
function lastPosition(position: Position | null, stream: string): Position {
  if (position === null) throw new Error(`Stream ${stream} is empty after its close started`);
  return position;
}
