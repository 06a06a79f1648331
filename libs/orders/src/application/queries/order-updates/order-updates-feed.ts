import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Observable } from 'rxjs';
import { ConsistencyWaiter, NotFoundError, PLATFORM_CONFIG, type PlatformConfig, ReadModels } from '@app/core';
import { EVENT_STORE, type EventStore, type Subscription } from '@app/eventstore';
import { ordersProjection } from '@app/projections/orders/orders/orders.projection';
import { type OrderRow, ordersQueries } from '@app/projections/orders/orders/orders.queries';
import { type Asker, mayRead, orderView, type OrderView } from '../order-view';

const FEED = { eventTypes: ordersProjection.eventTypes };
const FEED_RESTART_MS = 1000;

interface Listener {
  changed(row: OrderRow): void;
  end(error?: unknown): void;
}

/**
 * Each order as it changes, for GET /orders/:orderId/events: one subscription to the log's order
 * and sub-order events per process, started with the first client and shared by every connected
 * one. For a batch that touches orders someone follows, it waits for the orders read model to
 * have applied it, reads those orders once and hands each to its followers: what they get is what
 * GET /orders/:orderId answers, never an older state than one already sent.
 */
@Injectable()
export class OrderUpdatesFeed implements OnModuleDestroy {
  private readonly listeners = new Map<string, Set<Listener>>();
  private feed: Subscription | null = null;
  private caughtUp: Promise<void> | null = null;
  private stopped = false;
  private readonly stopping = new AbortController();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly waiter: ConsistencyWaiter,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /**
   * The order as it is now, then again each time it changes, in log order; NOT_FOUND (before
   * anything is sent) for an order that does not exist or is another customer's. Completes at
   * shutdown.
   */
  async follow(orderId: string, asker: Asker): Promise<Observable<OrderView>> {
    const first = await this.readModels.use(ordersQueries).byId(orderId);
    if (!first || !mayRead(first, asker)) throw new NotFoundError('Order', orderId);
    await this.start();
    return new Observable<OrderView>((subscriber) => {
      if (this.stopped) {
        subscriber.complete();
        return;
      }
      let sent = '';
      const listener: Listener = {
        changed: (row) => {
          if (row.position <= sent) return;
          sent = row.position;
          subscriber.next(orderView(row));
        },
        end: (error) => (error === undefined ? subscriber.complete() : subscriber.error(error)),
      };
      const followers = this.listeners.get(orderId) ?? new Set<Listener>();
      followers.add(listener);
      this.listeners.set(orderId, followers);
      // The order as it is once the read model has every event recorded so far: a change the
      // shared subscription handed out before this client came is in it, and any later one comes
      // to the listener.
      void this.current(orderId)
        .then((row) => row && listener.changed(row))
        .catch((error: unknown) => subscriber.error(error));
      return () => {
        followers.delete(listener);
        if (followers.size === 0 && this.listeners.get(orderId) === followers) this.listeners.delete(orderId);
      };
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.stopping.abort(new Error('shutting down'));
    for (const followers of this.listeners.values()) for (const listener of followers) listener.end();
    this.listeners.clear();
    await this.feed?.stop();
  }

  private async current(orderId: string): Promise<OrderRow | null> {
    const head = await this.store.headPosition(FEED);
    if (head !== null) await this.waiter.waitFor([ordersProjection], head, this.config.consistencyTimeoutMs, this.stopping.signal, { throughReactions: false });
    return this.readModels.use(ordersQueries).byId(orderId);
  }

  private start(): Promise<void> {
    if (this.caughtUp) return this.caughtUp;
    const feed = this.store.subscribeToAll({ fromPosition: 'end', filter: FEED });
    this.feed = feed;
    let live!: () => void;
    let failed!: (error: unknown) => void;
    this.caughtUp = new Promise<void>((resolve, reject) => ((live = resolve), (failed = reject)));
    void (async () => {
      for await (const message of feed) {
        if (message.type === 'caughtUp') {
          live();
          continue;
        }
        const followed = message.events.filter((event) => this.listeners.has((event.data as { orderId: string }).orderId));
        if (followed.length === 0) continue;
        // Waits as long as the read model takes (a projection that halted keeps its followers waiting, silent), until shutdown.
        await this.waiter.waitFor([ordersProjection], followed[followed.length - 1].position, Infinity, this.stopping.signal, { throughReactions: false });
        const ids = [...new Set(followed.map((event) => (event.data as { orderId: string }).orderId))];
        for (const row of await this.readModels.use(ordersQueries).byIds(ids)) {
          for (const listener of this.listeners.get(row.order_id) ?? []) listener.changed(row);
        }
      }
    })()
      .catch((error: unknown) => {
        if (this.stopped) return;
        failed(error);
        // The clients' streams end; an EventSource reconnects and starts again from the order as it is then.
        for (const followers of this.listeners.values()) for (const listener of followers) listener.end(error);
        this.listeners.clear();
      })
      .finally(() => {
        if (this.feed !== feed) return;
        this.feed = null;
        if (!this.stopped) setTimeout(() => (this.caughtUp = null), FEED_RESTART_MS).unref();
      });
    return this.caughtUp;
  }
}
