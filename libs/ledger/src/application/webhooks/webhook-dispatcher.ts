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
import { webhookDecider, webhookStream } from '../../domain/webhook.decider';
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

  /** Sends the delivery once and records the outcome; the position of what it recorded (null: nothing new). */
  async attempt(target: { url: string; secret: string }, row: DeliveryRow, signal: AbortSignal): Promise<Position | null> {
    const posting = await appliedPostingStatus(this.store, row.trace_key, row.applied_at.toISOString());
    const at = this.clock.now();
    const outcome = await sendWebhook({
      url: target.url,
      secret: target.secret,
      deliveryId: row.delivery_id,
      body: JSON.stringify({ type: 'posting.applied', data: posting }),
      at,
      timeoutMs: this.config.webhooks.timeoutMs,
      signal,
    });
    const { state, position } = await this.commandBus.execute(
      new RecordDeliveryAttemptCommand({ deliveryId: row.delivery_id, webhookId: row.webhook_id, traceKey: row.trace_key }, at.toISOString(), outcome),
    );
    this.attempts.inc({ outcome: state.status === 'pending' ? 'retry' : state.status });
    if (!outcome.delivered) {
      this.logger.info({ webhookId: row.webhook_id, deliveryId: row.delivery_id, attempts: state.attempts, error: outcome.error, status: state.status }, 'Webhook delivery attempt failed');
    }
    return position;
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

/** One webhook's deliveries, round after round, until stopped. */
class WebhookLane implements LeasedRunner {
  private readonly stopping = new AbortController();
  private readonly running: Promise<void>;

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
        const round = await this.dispatcher.due(this.webhookId, this.dispatcher.concurrency * 4);
        if (round.length === 0) {
          await pause(IDLE_POLL_MS, signal);
          continue;
        }
        const recorded = await inParallel(round, this.dispatcher.concurrency, (row) => this.dispatcher.attempt(target!, row, signal));
        const last = recorded.reduce<Position | null>((max, position) => (position !== null && (max === null || position > max) ? position : max), null);
        if (last !== null) await this.dispatcher.caughtUp(last, signal);
      } catch (error) {
        if (signal.aborted) return;
        this.dispatcher.log('warn', 'Webhook lane failed; trying again', { webhookId: this.webhookId, error: (error as Error).message });
        await pause(LANE_RETRY_MS, signal);
      }
    }
  }
}

/**
 * `work` over every item, at most `limit` at once; the results in the items' order. After a failure
 * no item is started, those in flight finish, and then it throws the first error.
 */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        results[index] = await work(items[index]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
  return results;
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
