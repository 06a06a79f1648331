import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import {
  CLOCK,
  type Clock,
  CommandRunner,
  ConsistencyWaiter,
  LOGGER,
  PLATFORM_CONFIG,
  type PlatformConfig,
  ReadModelLaggingError,
  ReadModels,
} from '@app/core';
import { utcDateOf } from '@app/core/domain';
import { EVENT_STORE, type EventStore, type Position } from '@app/eventstore';
import { accountsQueries } from '@app/projections/accounting/accounts/accounts.queries';
import { AccountingCatchingUp, BillingDateBeforeLog, BillingDateInFuture } from '../../domain/accounting.errors';
import { billingCycleDecider, billingCycleStream } from '../../domain/billing-cycle.decider';
import { CloseBillingCycleCommand, type ClosedBillingCycle, type ClosePatience } from './close-billing-cycle.command';

/** How often a close that waits as long as it takes says in the log how far the accounts are. */
const PROGRESS_EVERY_MS = 10_000;

/**
 * How long an admin's close waits, once started, for the `billing-close` workflow to close the
 * day (at least CONSISTENCY_TIMEOUT_MS): past it, 503 READ_MODEL_LAGGING, and the close goes on in
 * the worker; asked again, the close answers what it closed.
 */
const CLOSE_WAIT_MS = 60_000;

/** Polling a day's close: from the first interval, doubling up to the last. */
const POLL_FIRST_MS = 10;
const POLL_MAX_MS = 200;

/**
 * Closes billing cycles. Closing a day pays each worker with a positive balance (a PayoutMade on
 * their account day, which leads to the email) and closes every account of the day; a negative
 * balance is carried into the next day. Days close in order, so closing a day first closes every
 * earlier day that still has an open account, each finished before the next begins.
 *
 * A close never closes over work recorded before it began: it first waits until the process
 * managers upstream of the accounts have handled the log up to its head as of the start, and the
 * accounts have applied what they posted (read-your-writes through reactions). It records that
 * head (`upTo`) in its start, and only task events after it may be posted to the next day.
 *
 * The close itself is the `billing-close` workflow's: this records `BillingCycleCloseStarted`
 * with the day's accounts (from the accounts read model, caught up by then), and waits for the
 * workflow's `BillingCycleClosed`, answering from it. Idempotent and resumable: a close that
 * died half-way is finished by the workflow, or, for one started without its list of accounts,
 * once the next close lists them (`BillingCycleAccountsListed`); nobody is paid twice.
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
      await this.closeDay(earlier, upTo, patience, signal);
    }
    return this.closeDay(target, upTo, patience, signal);
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

  /**
   * Has the `billing-close` workflow close `date`: starts it with the day's accounts, or, for a
   * close already started, lists the accounts it was not given (a close started without its list,
   * an account opened by a posting that raced the start). Then waits until the day is closed and
   * the accounts read model serves what the close wrote, so the next day's close sees the balances
   * carried into it.
   */
  private async closeDay(date: string, upTo: Position | undefined, patience: ClosePatience, signal?: AbortSignal): Promise<ClosedBillingCycle> {
    const stream = billingCycleStream(date);
    const { state } = await this.commands.load(billingCycleDecider, stream);
    const accounts = await this.accounts().userIdsOn(date);
    const now = this.clock.now().toISOString();
    if (state.status === 'open') {
      // Work recorded up to `upTo` is posted and applied (settle); from the start on, later work goes to the next day.
      await this.commands.run(billingCycleDecider, stream, {
        type: 'StartBillingCycleClose',
        data: { date, startedAt: now, ...(upTo ? { upTo } : {}), accounts },
      });
    } else {
      await this.commands.run(billingCycleDecider, stream, { type: 'ListBillingCycleAccounts', data: { date, accounts, listedAt: now } });
    }
    const wasClosed = state.status === 'closed';
    const closed = await this.until(date, patience, signal, async () => {
      const { state: cycle, position } = await this.commands.load(billingCycleDecider, stream);
      if (cycle.status !== 'closed' || position === null) return null;
      // A day closed before: done once the accounts it was given since are closed too.
      if (wasClosed) {
        try {
          await this.accountsReach((await this.store.headPosition()) ?? position, signal);
        } catch (error) {
          if (error instanceof ReadModelLaggingError) return null;
          throw error;
        }
        if (await this.accounts().anyOpenUpTo(date)) return null;
      }
      return { date, payouts: cycle.payouts, total: cycle.total, position };
    });
    await this.accountsReach(closed.position, signal);
    return closed;
  }

  /**
   * Polls `check` until it answers. Bounded: up to CLOSE_WAIT_MS, then ReadModelLaggingError (503
   * READ_MODEL_LAGGING; the workflow goes on, and the close asked again answers). Until caught up:
   * as long as it takes, logging every PROGRESS_EVERY_MS.
   */
  private async until<T>(date: string, patience: ClosePatience, signal: AbortSignal | undefined, check: () => Promise<T | null>): Promise<T> {
    const started = Date.now();
    const bound = Math.max(CLOSE_WAIT_MS, this.config.consistencyTimeoutMs);
    let logged = started;
    for (let delay = POLL_FIRST_MS; ; delay = Math.min(delay * 2, POLL_MAX_MS)) {
      signal?.throwIfAborted();
      const answer = await check();
      if (answer !== null) return answer;
      const now = Date.now();
      if (patience === 'bounded' && now - started >= bound) {
        throw new ReadModelLaggingError([accountsQueries.projection.name], (await this.store.headPosition()) ?? '', Math.max(1, Math.ceil(bound / 1000)), ['billing-close']);
      }
      if (now - logged >= PROGRESS_EVERY_MS) {
        logged = now;
        this.logger.info({ date, waitedMs: now - started }, 'billing close waits for the billing-close workflow to close the day');
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** Waits until the accounts read model itself serves `position` (what the close wrote; no process manager is waited for). */
  private accountsReach(position: Position, signal?: AbortSignal): Promise<void> {
    return this.waiter.waitFor([accountsQueries.projection], position, this.config.consistencyTimeoutMs, signal, { throughReactions: false });
  }
}
