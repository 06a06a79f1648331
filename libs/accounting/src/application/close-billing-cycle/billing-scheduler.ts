import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import { CLOCK, type Clock, LOGGER } from '@app/core';
import { addDays, utcDateOf } from '@app/core/domain';
import { ACCOUNTING_CONFIG, type AccountingConfig } from '../accounting.config';
import { CloseDueBillingCycleCommand } from './close-due-billing-cycle.command';

/**
 * The worker's end of day: once BILLING_DAY_END (UTC) has passed, the previous day's billing cycle
 * is closed; checked at start-up and every BILLING_CHECK_MS. Closing a day closes every earlier
 * day still open, so days missed while the worker was down are caught up, and a close that died
 * half-way is finished. Several workers may run it at once: closes are idempotent.
 */
@Injectable()
export class BillingScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly stopping = new AbortController();

  constructor(
    private readonly commands: CommandBus,
    @Inject(ACCOUNTING_CONFIG) private readonly config: AccountingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.check(), this.config.billingCheckMs).unref();
    this.check();
  }

  /** Stops a close in progress at its next step (the next check finishes it), and waits for that. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.running;
  }

  /** Resolves once the check in progress (if any) has finished. */
  whenIdle(): Promise<void> {
    return this.running;
  }

  /** The last day whose billing cycle is due: yesterday once the day end has passed, else the day before. */
  dueDate(now: Date = this.clock.now()): string {
    const minutes = now.getUTCHours() * 60 + now.getUTCMinutes();
    return addDays(utcDateOf(now), minutes >= this.config.billingDayEndMinutes ? -1 : -2);
  }

  /** Closes the due day (and any earlier open one) unless it is done; resolves once finished. */
  async runOnce(): Promise<void> {
    const date = this.dueDate();
    const closed = await this.commands.execute(new CloseDueBillingCycleCommand(date, this.stopping.signal));
    if (closed) this.logger.info({ date, payouts: closed.payouts, total: closed.total }, 'billing cycle closed');
  }

  private check(): void {
    this.running = this.running
      .then(() => this.runOnce())
      .catch((error: Error) => {
        if (this.stopping.signal.aborted) return;
        this.logger.warn({ error: error.message }, 'closing the billing cycle failed; trying again at the next check');
      });
  }
}
