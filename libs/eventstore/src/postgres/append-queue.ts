/** One append as the database takes it: the expected revision as text, events as parallel arrays. */
export interface AppendRequest {
  streamName: string;
  expected: string;
  ids: string[];
  types: string[];
  data: string[];
  metadata: string[];
}

export interface AppendRow {
  status: 'ok' | 'idempotent' | 'wrong_expected_version';
  revision: string | null;
  tx: string | null;
  pos: string | null;
}

export interface AppendQueueOptions {
  /** Appends (alone or grouped) in flight at once; the rest wait and are then sent together. */
  concurrency: number;
  /** At most this many appends in one group. */
  maxGroupSize: number;
  /** A group stops growing once it holds this many events (an append is never split). */
  maxGroupEvents: number;
  /** Runs one append in its own transaction. */
  appendOne(request: AppendRequest): Promise<AppendRow>;
  /** Runs appends in one transaction, in the order given; one row per append, in that order. */
  appendGroup(requests: AppendRequest[]): Promise<AppendRow[]>;
}

interface Waiting {
  request: AppendRequest;
  resolve(row: AppendRow): void;
  reject(error: unknown): void;
}

/**
 * Group commit on the client side. At most `concurrency` append transactions run at once; an
 * append that arrives while they are all busy waits, and everything waiting goes to the database
 * in one transaction as soon as a slot frees. Under load, that is one commit (one WAL flush) for
 * many appends; with a single writer, every append goes out alone at once, so nothing waits for a
 * group to fill.
 *
 * Grouping never changes an append's outcome: the appends of a group run one after the other,
 * each with its own expected-revision check, sorted by stream name (stable, so two appends to one
 * stream keep their order) so that concurrent groups lock streams in the same order. If the group
 * fails as a whole (a duplicate event id in another stream, a deadlock, a lost connection), its
 * appends are retried one by one and each gets its own result or error; an append that committed
 * before the connection was lost is then answered idempotently by its event ids.
 */
export class AppendQueue {
  private readonly waiting: Waiting[] = [];
  private running = 0;

  constructor(private readonly options: AppendQueueOptions) {}

  append(request: AppendRequest): Promise<AppendRow> {
    return new Promise<AppendRow>((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.running < this.options.concurrency && this.waiting.length > 0) {
      const group = this.takeGroup();
      this.running++;
      void this.run(group).finally(() => {
        this.running--;
        this.drain();
      });
    }
  }

  private takeGroup(): Waiting[] {
    let events = 0;
    let size = 0;
    while (size < this.waiting.length && size < this.options.maxGroupSize) {
      const next = this.waiting[size].request.ids.length;
      if (size > 0 && events + next > this.options.maxGroupEvents) break;
      events += next;
      size++;
    }
    return this.waiting.splice(0, size);
  }

  private async run(group: Waiting[]): Promise<void> {
    if (group.length === 1) return this.runAlone(group[0]);
    const ordered = group
      .map((waiting, index) => ({ waiting, index }))
      .sort((a, b) => compare(a.waiting.request.streamName, b.waiting.request.streamName) || a.index - b.index)
      .map(({ waiting }) => waiting);
    let rows: AppendRow[];
    try {
      rows = await this.options.appendGroup(ordered.map((waiting) => waiting.request));
    } catch {
      for (const waiting of ordered) await this.runAlone(waiting);
      return;
    }
    ordered.forEach((waiting, index) => waiting.resolve(rows[index]));
  }

  private async runAlone(waiting: Waiting): Promise<void> {
    try {
      waiting.resolve(await this.options.appendOne(waiting.request));
    } catch (error) {
      waiting.reject(error);
    }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
