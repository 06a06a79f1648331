import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { CommandRunner, PLATFORM_CONFIG, type PlatformConfig } from '@app/core';
import { EVENT_STORE, type EventStore, type Position, type Subscription } from '@app/eventstore';
import { type RegisteredUser, userDecider, userStream } from '../domain/user.decider';
import { AUTHORITY_EVENT_TYPES } from '../contract/user.events';
import { FreshRead } from './fresh-read';

const MAX_CACHED_USERS = 50_000;
/** How long a request waits for the change feed before it reads the user's stream itself. */
const FEED_WAIT_MS = 250;
const FEED_RESTART_MS = 1000;

/**
 * What a user may do now, for the auth guard: their role, whether they are active, and the oldest
 * token version still valid, from their stream in the log (the write model: nothing waits for a
 * projection or a worker).
 *
 * On PostgreSQL, users are cached in this process and a subscription to the log's role changes,
 * deactivations, reactivations and beak changes evicts whoever changed. Each request first reads
 * the position of the last such change (one read shared by the requests arriving together, never
 * one begun before the request) and, if the subscription is not there yet, waits for it: so a
 * change answered to its caller is in force for that user's next request, in every api process.
 * With EventStoreDB (whose filtered head is the whole log's head) every request reads the user's
 * stream instead.
 */
@Injectable()
export class UserAuthority implements OnModuleDestroy {
  private readonly users = new Map<string, RegisteredUser>();
  /** Bumped at every eviction: a stream read that began before one is not cached. */
  private evictions = 0;
  /** How far the feed has read the log; null until it has caught up once. */
  private fedTo: Position | null = null;
  private waiters: Array<{ position: Position; resolve: () => void }> = [];
  private readonly lastChange: FreshRead<Position | null>;
  private feed: Subscription | null = null;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly cached: boolean;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandRunner,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    this.cached = config.eventStore === 'postgres';
    this.lastChange = new FreshRead(() => store.headPosition({ eventTypes: AUTHORITY_EVENT_TYPES }));
  }

  /** The user as they are at least as of this call; null when there is no such user. */
  async current(userId: string): Promise<RegisteredUser | null> {
    if (!this.cached) return this.read(userId);
    if (!this.feed && !this.stopped && !this.restartTimer) this.startFeed();
    const lastChange = await this.lastChange.get();
    if (!(await this.fedPast(lastChange))) return this.read(userId);
    const hit = this.users.get(userId);
    if (hit) return hit;
    const evictions = this.evictions;
    const user = await this.read(userId);
    if (user && evictions === this.evictions) {
      this.users.set(userId, user);
      if (this.users.size > MAX_CACHED_USERS) this.users.delete(this.users.keys().next().value!);
    }
    return user;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.feed?.stop();
  }

  private async read(userId: string): Promise<RegisteredUser | null> {
    const { state } = await this.commands.load(userDecider, userStream(userId));
    return state.status === 'registered' ? state : null;
  }

  /** Whether the feed has read past `position` (waiting a little for it); false when it is not running. */
  private async fedPast(position: Position | null): Promise<boolean> {
    if (this.fedTo === null) return false;
    if (position === null || this.fedTo >= position) return true;
    let timer: NodeJS.Timeout | undefined;
    const waiter = { position, resolve: () => undefined as void };
    const reached = await new Promise<boolean>((resolve) => {
      waiter.resolve = () => resolve(true);
      timer = setTimeout(() => resolve(false), FEED_WAIT_MS);
      this.waiters.push(waiter);
    });
    clearTimeout(timer);
    this.waiters = this.waiters.filter((w) => w !== waiter);
    return reached;
  }

  private startFeed(): void {
    const feed = this.store.subscribeToAll({ fromPosition: 'end', filter: { eventTypes: AUTHORITY_EVENT_TYPES } });
    this.feed = feed;
    void (async () => {
      for await (const message of feed) {
        if (message.type === 'events') {
          this.evictions += 1;
          for (const event of message.events) this.users.delete((event.data as { userId: string }).userId);
          this.advance(message.events[message.events.length - 1].position);
        } else if (message.position !== null) {
          this.advance(message.position);
        } else if (this.fedTo === null) {
          // An empty log: caught up with nothing. Any position a request waits for is after it.
          this.advance('');
        }
      }
    })()
      .catch(() => undefined)
      .finally(() => this.feedEnded(feed));
  }

  private advance(position: Position): void {
    if (this.fedTo !== null && position <= this.fedTo) return;
    this.fedTo = position;
    const reached = this.waiters.filter((w) => w.position <= position);
    this.waiters = this.waiters.filter((w) => w.position > position);
    for (const waiter of reached) waiter.resolve();
  }

  /** A feed that failed (the database went away) is started again; meanwhile requests read streams. */
  private feedEnded(feed: Subscription): void {
    if (this.feed !== feed) return;
    this.feed = null;
    this.fedTo = null;
    this.users.clear();
    this.evictions += 1;
    if (!this.stopped) this.restartTimer = setTimeout(() => (this.restartTimer = undefined), FEED_RESTART_MS);
  }
}
