import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Observable } from 'rxjs';
import { EVENT_STORE, type EventStore, type Position, type RecordedEvent, type Subscription } from '@app/eventstore';
import type { LedgerPostingApplied } from '../../contract/ledger.events';
import type { PostingStatus } from '../get-posting/get-posting.query';
import { appliedPostingStatus } from './applied-posting-status';

/** A posting the balances include, with where its LedgerPostingApplied is in the log. */
export interface AppliedPosting {
  position: Position;
  posting: PostingStatus;
}

/** One account, or null for every account. */
export type PostingsOf = { branch: string; account: string } | null;

const APPLIED = { eventTypes: ['LedgerPostingApplied'] satisfies LedgerPostingApplied['type'][] };
const CATCH_UP_PAGE = 500;
const FEED_RESTART_MS = 1000;

interface Listener {
  next(posting: AppliedPosting): void;
  end(error?: unknown): void;
}

/**
 * The postings as the balances come to include them, for GET /ledger/stream: one subscription to
 * the log's LedgerPostingApplied events per process, started with the first client and fanned
 * out to every connected one, so a thousand clients cost one reader of the log.
 *
 * Each posting's status is folded from its own stream (`appliedPostingStatus`), once per posting,
 * whatever the number of clients.
 */
@Injectable()
export class AppliedPostingsFeed implements OnModuleDestroy {
  private readonly listeners = new Set<Listener>();
  private feed: Subscription | null = null;
  /** Resolves once the feed is reading from the log's end, so a client that waited misses nothing after. */
  private caughtUp: Promise<void> | null = null;
  private stopped = false;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * The applied postings of one account (or all) from now on, or from just after `after` (a
   * position this feed gave, for a client resuming with Last-Event-ID), in log order. Resolves
   * once the shared subscription is live; the observable completes at shutdown.
   */
  async follow(of: PostingsOf, after: Position | null): Promise<Observable<AppliedPosting>> {
    await this.start();
    const matches = (posting: PostingStatus) => of === null || (posting.branch === of.branch && posting.account === of.account);
    return new Observable<AppliedPosting>((subscriber) => {
      if (this.stopped) {
        subscriber.complete();
        return;
      }
      // While a resuming client reads what it missed, the live postings wait; a position at or
      // before the last one sent is one both reads saw.
      let pending: AppliedPosting[] | null = after === null ? null : [];
      let sent = after ?? '';
      const send = (applied: AppliedPosting) => {
        if (applied.position <= sent || !matches(applied.posting)) return;
        sent = applied.position;
        subscriber.next(applied);
      };
      const listener: Listener = {
        next: (applied) => (pending ? pending.push(applied) : send(applied)),
        end: (error) => (error === undefined ? subscriber.complete() : subscriber.error(error)),
      };
      this.listeners.add(listener);
      if (after !== null) {
        void this.missedSince(after, (applied) => send(applied), () => subscriber.closed)
          .then(() => {
            for (const applied of pending ?? []) send(applied);
            pending = null;
          })
          .catch((error: unknown) => subscriber.error(error));
      }
      return () => this.listeners.delete(listener);
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const listener of this.listeners) listener.end();
    this.listeners.clear();
    await this.feed?.stop();
  }

  private start(): Promise<void> {
    if (this.caughtUp) return this.caughtUp;
    const feed = this.store.subscribeToAll({ fromPosition: 'end', filter: APPLIED });
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
        // Read in parallel, handed out in log order.
        const applied = await Promise.all(message.events.map((event) => this.toApplied(event)));
        for (const posting of applied) for (const listener of this.listeners) listener.next(posting);
      }
    })()
      .catch((error: unknown) => {
        failed(error);
        // The clients' streams end; an EventSource reconnects with the last id it had and resumes.
        for (const listener of this.listeners) listener.end(error);
        this.listeners.clear();
      })
      .finally(() => {
        if (this.feed !== feed) return;
        this.feed = null;
        if (!this.stopped) setTimeout(() => (this.caughtUp = null), FEED_RESTART_MS).unref();
      });
    return this.caughtUp;
  }

  /** The applied postings after `after` up to the log's end, page by page, until the client leaves. */
  private async missedSince(after: Position, send: (applied: AppliedPosting) => void, left: () => boolean): Promise<void> {
    let from = after;
    for (;;) {
      const page = await this.store.readAll({ fromPosition: from, maxCount: CATCH_UP_PAGE, filter: APPLIED });
      for (const applied of await Promise.all(page.map((event) => this.toApplied(event)))) {
        if (left()) return;
        send(applied);
      }
      if (page.length < CATCH_UP_PAGE) return;
      from = page[page.length - 1].position;
    }
  }

  private async toApplied(event: RecordedEvent): Promise<AppliedPosting> {
    const { traceKey, appliedAt } = (event as RecordedEvent<'LedgerPostingApplied', LedgerPostingApplied['data']>).data;
    return { position: event.position, posting: await appliedPostingStatus(this.store, traceKey, appliedAt) };
  }
}
