import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import {
  CLOCK,
  type Clock,
  CommandRunner,
  ConsistencyWaiter,
  CONTEXTS,
  type ContextDefinition,
  type LeasedRunner,
  LeaseWorker,
  LOGGER,
  PLATFORM_CONFIG,
  PLATFORM_OPTIONS,
  type PlatformConfig,
  PlatformMetrics,
  type PlatformOptions,
  ReadModels,
} from '@app/core';
import { EVENT_STORE, type EventStore, type Position } from '@app/eventstore';
import { webhooksProjection } from '@app/projections/ledger/webhooks/webhooks.projection';
import { type DeliveryRow, webhooksQueries } from '@app/projections/ledger/webhooks/webhooks.queries';
import { type AttemptOutcome, webhookDecider, webhookStream } from '../../domain/webhook.decider';
import { LEDGER_CONFIG, type LedgerConfig } from '../ledger.config';
import { appliedPostingStatus } from '../stream-postings/applied-posting-status';
import { RecordDeliveryAttemptCommand } from './record-delivery-attempt.command';
import { sendWebhook } from './send-webhook';

/** Advisory-lock class of the webhook lanes (projections take 7101, process managers 7102). */
const WEBHOOK_LEASE_CLASS = 7103;
/** How long an idle lane waits before it looks for due deliveries again. */
const IDLE_POLL_MS = 200;
/** After a lane's own failure (the database, the read model lagging), how long before it tries again. */
const LANE_RETRY_MS = 2000;

/**
 * Delivers every applied posting to every webhook, in the worker. Each webhook is a lane of its
 * own under its own lease (a session advisory lock, as projections have): exactly one process
 * delivers for a webhook, another takes over when it dies, and a slow or dead receiver holds up
 * its own lane only, never postings (they are accepted and applied without it) nor other webhooks.
 *
 * A lane's queue is the deliveries read model (`webhooksProjection`), which the log alone makes:
 * a delivery is pending once its posting is applied, and due at its `next_attempt_at`. The lane
 * takes a round of due deliveries, sends up to LEDGER_WEBHOOK_CONCURRENCY at once, records each
 * outcome as an event on the delivery's stream, and waits for the read model to include them
 * before it looks again, so it never takes a delivery it has just recorded. Delivery is at least
 * once: a process that dies between a receiver's 2xx and its record sends it again (with the same
 * X-Delivery-Id, so the receiver can tell), and nothing pending is lost, since pending is what
 * the log says.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private leases: WebhookLeases | null = null;
  private readonly attempts: Counter<'outcome'>;

  constructor(
    private readonly commandBus: CommandBus,
    private readonly commands: CommandRunner,
    private readonly readModels: ReadModels,
    private readonly waiter: ConsistencyWaiter,
    metrics: PlatformMetrics,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: Pick<LedgerConfig, 'webhooks'>,
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    @Inject(PLATFORM_OPTIONS) private readonly options: PlatformOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONTEXTS) private readonly contexts: readonly ContextDefinition[],
  ) {
    this.attempts = new Counter({
      name: 'ledger_webhook_attempts_total',
      help: 'Attempts to deliver a posting to a webhook, by outcome (delivered, retry: failed and due again, failed: a dead letter)',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // Its queue is a read model of the ledger context: an app that runs without it delivers nothing.
    if (!this.contexts.some((context) => context.projections.includes(webhooksProjection))) return;
    this.leases = new WebhookLeases(this.options.databaseUrl, this, (level, message, details) => this.logger[level](details ?? {}, message));
    await this.leases.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.leases?.stop();
  }

  /** The registered webhooks, as the read model has them. */
  async webhookIds(): Promise<string[]> {
    return (await this.readModels.use(webhooksQueries).all()).map((row) => row.webhook_id);
  }

  /** A lane for `webhookId`, running until stopped. */
  lane(webhookId: string): WebhookLane {
    return new WebhookLane(webhookId, this);
  }

  /**
   * Sends the delivery once and records the outcome: what it recorded (null: nothing new, the
   * delivery was delivered already). A delivery that cannot even be sent (its posting cannot be
   * read) is recorded as a failed attempt like any other, so it takes its backoff and, in the end,
   * its place among the dead letters instead of holding up its webhook's other deliveries.
   */
  async attempt(target: { url: string; secret: string }, row: DeliveryRow, signal: AbortSignal): Promise<{ position: Position; revision: number } | null> {
    const at = this.clock.now();
    let outcome: AttemptOutcome;
    try {
      const posting = await appliedPostingStatus(this.store, row.trace_key, row.applied_at.toISOString());
      const body = JSON.stringify({ type: 'posting.applied', data: posting });
      outcome = await sendWebhook({ url: target.url, secret: target.secret, deliveryId: row.delivery_id, body, at, timeoutMs: this.config.webhooks.timeoutMs, signal });
    } catch (error) {
      signal.throwIfAborted();
      outcome = { delivered: false, error: `the delivery could not be prepared: ${(error as Error).message}`, retryable: true, retryAfterMs: null };
    }
    const { state, position, revision } = await this.commandBus.execute(
      new RecordDeliveryAttemptCommand({ deliveryId: row.delivery_id, webhookId: row.webhook_id, traceKey: row.trace_key }, at.toISOString(), outcome),
    );
    if (position === null || revision === null) return null;
    this.attempts.inc({ outcome: state.status === 'pending' ? 'retry' : state.status });
    if (!outcome.delivered) {
      this.logger.info({ webhookId: row.webhook_id, deliveryId: row.delivery_id, attempts: state.attempts, error: outcome.error, status: state.status }, 'Webhook delivery attempt failed');
    }
    return { position, revision: Number(revision) };
  }

  async target(webhookId: string): Promise<{ url: string; secret: string }> {
    const { state } = await this.commands.load(webhookDecider, webhookStream(webhookId));
    if (state.status !== 'registered') throw new Error(`Webhook ${webhookId} is in the read model but its stream has no registration`);
    return { url: state.url, secret: state.secret };
  }

  due(webhookId: string, limit: number): Promise<DeliveryRow[]> {
    return this.readModels.use(webhooksQueries).due(webhookId, this.clock.now(), limit);
  }

  /** Resolves once the deliveries read model includes `position`. */
  caughtUp(position: Position, signal: AbortSignal): Promise<void> {
    return this.waiter.waitFor([webhooksProjection], position, this.platform.consistencyTimeoutMs, signal, { throughReactions: false });
  }

  get concurrency(): number {
    return this.config.webhooks.concurrency;
  }

  log(level: 'info' | 'warn' | 'error', message: string, details: Record<string, unknown>): void {
    this.logger[level](details, message);
  }
}

/** Takes the lease of every registered webhook it can, and runs a lane for each. */
class WebhookLeases extends LeaseWorker<WebhookLane> {
  constructor(
    connectionString: string,
    private readonly dispatcher: WebhookDispatcher,
    log: ConstructorParameters<typeof LeaseWorker>[0]['log'],
  ) {
    super({ connectionString, leaseClass: WEBHOOK_LEASE_CLASS, applicationName: 'ledger-webhook-leases', log });
  }

  protected async install(): Promise<void> {}

  protected async check(): Promise<void> {
    for (const webhookId of await this.dispatcher.webhookIds()) {
      const name = `ledger-webhook-${webhookId}`;
      if (this.runners.has(name)) continue;
      if (await this.tryLease(name)) this.runners.set(name, this.dispatcher.lane(webhookId));
    }
  }
}

/**
 * One webhook's deliveries, round after round, until stopped. It remembers the revision it
 * recorded for each delivery until the read model shows it, and never takes a delivery the read
 * model shows older than that: a read model running late (past the wait for it) makes the lane
 * wait, not send a delivery again or ahead of its backoff.
 */
export class WebhookLane implements LeasedRunner {
  private readonly stopping = new AbortController();
  private readonly running: Promise<void>;
  /** Per delivery, the revision this lane recorded and where, until the read model is known to include it. */
  private readonly recorded = new Map<string, { revision: number; position: Position }>();

  constructor(
    private readonly webhookId: string,
    private readonly dispatcher: WebhookDispatcher,
  ) {
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort(new Error('The webhook lane is stopping'));
    await this.running;
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    let target: { url: string; secret: string } | null = null;
    while (!signal.aborted) {
      try {
        target ??= await this.dispatcher.target(this.webhookId);
        const round = (await this.dispatcher.due(this.webhookId, this.dispatcher.concurrency * 4)).filter((row) => this.fresh(row));
        if (round.length === 0) {
          await pause(IDLE_POLL_MS, signal);
          continue;
        }
        // Every delivery of the round is tried, whatever becomes of the others; what was recorded is remembered either way.
        let last: Position | null = null;
        let failure: { error: unknown } | null = null;
        await eachAtMost(round, this.dispatcher.concurrency, async (row) => {
          try {
            const written = await this.dispatcher.attempt(target!, row, signal);
            if (written === null) return;
            this.recorded.set(row.delivery_id, written);
            if (last === null || written.position > last) last = written.position;
          } catch (error) {
            failure ??= { error };
          }
        });
        if (last !== null) {
          await this.dispatcher.caughtUp(last, signal);
          this.forgetUpTo(last);
        }
        if (failure) throw (failure as { error: unknown }).error;
      } catch (error) {
        if (signal.aborted) return;
        this.dispatcher.log('warn', 'Webhook lane failed; trying again', { webhookId: this.webhookId, error: (error as Error).message });
        await pause(LANE_RETRY_MS, signal);
      }
    }
  }

  /** Whether the read model's row includes what this lane last recorded of the delivery (and then it forgets it). */
  private fresh(row: DeliveryRow): boolean {
    const recorded = this.recorded.get(row.delivery_id);
    if (recorded === undefined) return true;
    if (row.version < recorded.revision) return false;
    this.recorded.delete(row.delivery_id);
    return true;
  }

  /**
   * The read model includes everything up to `position`: what was recorded there is in its rows,
   * so nothing of it needs remembering (a delivered or failed delivery is never due again, and would
   * otherwise stay here for good).
   */
  private forgetUpTo(position: Position): void {
    for (const [deliveryId, recorded] of this.recorded) if (recorded.position <= position) this.recorded.delete(deliveryId);
  }
}

/** `work` over every item, at most `limit` at once (`work` handles its own errors). */
async function eachAtMost<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
