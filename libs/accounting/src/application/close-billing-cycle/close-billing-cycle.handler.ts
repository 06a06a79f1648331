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
  ReadModelLaggingError,
  ReadModels,
} from '@app/core';
import { addDays, utcDateOf } from '@app/core/domain';
import { EVENT_STORE, type EventStore, type Position } from '@app/eventstore';
import { accountsQueries } from '@app/projections/accounting/accounts/accounts.queries';
import { accountDecider, accountStream } from '../../domain/account.decider';
import { AccountingCatchingUp, BillingDateBeforeLog, BillingDateInFuture } from '../../domain/accounting.errors';
import { billingCycleDecider, billingCycleStream } from '../../domain/billing-cycle.decider';
import { CloseBillingCycleCommand, type ClosedBillingCycle, type ClosePatience } from './close-billing-cycle.command';

/** How often a close that waits as long as it takes says in the log how far the accounts are. */
const PROGRESS_EVERY_MS = 10_000;

/**
 * Closes billing cycles. Closing a day pays each worker with a positive balance (a PayoutMade on
 * their account day, which leads to the email) and closes every account of the day; a negative
 * balance is carried into the next day. Days close in order, so closing a day first closes every
 * earlier day that still has an open account.
 *
 * A close never closes over work recorded before it began: it first waits until the process
 * managers upstream of the accounts have handled the log up to its head as of the start, and the
 * accounts have applied what they posted (read-your-writes through reactions). It records that
 * head (`upTo`) in its start, and only task events after it may be posted to the next day.
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
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  execute({ date, signal, patience }: CloseBillingCycleCommand): Promise<ClosedBillingCycle> {
    return this.close(date, signal, patience);
  }

  /** Closes `date` (today when absent) and every earlier day still open. */
  private async close(date: string | undefined, signal: AbortSignal | undefined, patience: ClosePatience): Promise<ClosedBillingCycle> {
    const today = utcDateOf(this.clock.now());
    const target = date ?? today;
    if (target > today) throw new BillingDateInFuture(target, today);
    const firstDay = await this.firstDayOfLog(today);
    if (target < firstDay) throw new BillingDateBeforeLog(target, firstDay);
    // Closing a closed day again changes nothing, so it waits for nothing either.
    const closed = await this.closedAlready(target);
    if (closed) return closed;
    const upTo = await this.settle(target, patience, signal);
    for (;;) {
      const earlier = await this.accounts().openDayBefore(target);
      if (!earlier) break;
      await this.closeDay(earlier, upTo, signal);
    }
    return this.closeDay(target, upTo, signal);
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

  /** What the close of `date` answered, when it is closed with no account open up to it; else null. */
  private async closedAlready(date: string): Promise<ClosedBillingCycle | null> {
    const { state, position } = await this.commands.load(billingCycleDecider, billingCycleStream(date));
    if (state.status !== 'closed' || position === null || (await this.accounts().anyOpenUpTo(date))) return null;
    return { date, payouts: state.payouts, total: state.total, position };
  }

  private accounts() {
    return this.readModels.use(accountsQueries);
  }

  /**
   * Waits until everything recorded up to the head of the log as of now is posted and in the
   * accounts read model: the process managers upstream of the accounts have handled it and the
   * accounts have applied what they wrote. Resolves to that head (undefined for an empty log).
   * Bounded: past CONSISTENCY_TIMEOUT_MS, AccountingCatchingUp (503), before anything is written.
   * Until caught up: as long as it takes, saying every PROGRESS_EVERY_MS in the log how far it is.
   */
  private async settle(date: string, patience: ClosePatience, signal?: AbortSignal): Promise<Position | undefined> {
    const head = await this.store.headPosition();
    if (head === null) return undefined;
    const accounts = [accountsQueries.projection];
    const bound = patience === 'bounded' ? this.config.consistencyTimeoutMs : PROGRESS_EVERY_MS;
    for (let waited = bound; ; waited += bound) {
      try {
        await this.waiter.waitFor(accounts, head, bound, signal);
        return head;
      } catch (error) {
        if (!(error instanceof ReadModelLaggingError)) throw error;
        const waitingFor = error.processManagers.length > 0 ? error.processManagers : accounts.map((projection) => projection.name);
        if (patience === 'bounded') throw new AccountingCatchingUp(date, Math.max(1, Math.ceil(bound / 1000)), waitingFor);
        this.logger.info({ date, head, waitingFor, waitedMs: waited }, 'billing close waits for accounting to post the work recorded before it');
      }
    }
  }

  /** Waits until the accounts read model itself serves `position` (what the close wrote; no process manager is waited for). */
  private accountsReach(position: Position, signal?: AbortSignal): Promise<void> {
    return this.waiter.waitFor([accountsQueries.projection], position, this.config.consistencyTimeoutMs, signal, { throughReactions: false });
  }

  private async closeDay(date: string, upTo: Position | undefined, signal?: AbortSignal): Promise<ClosedBillingCycle> {
    const stream = billingCycleStream(date);
    // Work recorded up to `upTo` is posted and applied (settle); from the start on, later work goes to the next day.
    await this.commands.run(billingCycleDecider, stream, {
      type: 'StartBillingCycleClose',
      data: { date, startedAt: this.clock.now().toISOString(), ...(upTo ? { upTo } : {}) },
    });
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
