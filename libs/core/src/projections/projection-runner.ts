import type { Knex } from 'knex';
import type { EventStore, Position, RecordedEvent, Subscription } from '@app/eventstore';
import type { EventSchemaRegistry } from '../events/event-schemas';
import { type ProjectionContext, type ProjectionDefinition, physicalTable } from './projection';
import { type Lease, LeaseLostError } from '../leases/lease';
import type { ProjectionStateRow, ProjectionStore } from './projection-store';

export interface RunnerDependencies {
  store: EventStore;
  knex: Knex;
  projections: ProjectionStore;
  schemas: EventSchemaRegistry;
  batchSize: number;
  maxRetries: number;
  /** Base delay between retries of a failing event; doubles each time. */
  retryDelayMs?: number;
  /**
   * Once caught up, how long to wait before reading again. Under a steady stream of appends a
   * projection would otherwise read, and move its checkpoint, once per append; waiting a few
   * milliseconds applies what arrived meanwhile as one batch.
   */
  liveBatchMs?: number;
  /**
   * While idle, how often the checkpoint is moved past events of other types: at most once per
   * this many milliseconds (default 1,000), not on every append anywhere in the log. Read-your-writes
   * does not wait for that write: an idle reader counts as caught up (see ConsistencyWaiter).
   */
  idleCheckpointMs?: number;
  lease?: Lease;
  log?: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
  onApplied?: (projection: string, events: number, position: Position) => void;
}

type TrackRole = 'active' | 'building';

/**
 * Runs one projection while this process holds its lease: the serving generation live, and, during
 * a rebuild, the new generation from the start of the log. Each batch and its checkpoint commit
 * in one transaction, so a crash anywhere repeats nothing and loses nothing.
 */
export class ProjectionRunner {
  private readonly tracks = new Map<number, Track>();
  private stopped = false;

  constructor(
    readonly definition: ProjectionDefinition,
    private readonly deps: RunnerDependencies,
  ) {}

  /**
   * Brings the running tracks in line with the stored state (rebuilds, halts, resumes). `seen` is
   * its state row as the worker read it, with every other projection's, for the whole check: when
   * the tracks already match it nothing is read. Otherwise the row is read again and the change
   * made from it as it is now, since `seen` may predate a swap or halt of this runner's own.
   */
  async reconcile(seen: ProjectionStateRow | undefined): Promise<void> {
    if (this.stopped || !seen || this.matches(this.wantedTracks(seen))) return;
    const state = await this.deps.projections.state(this.definition.name);
    if (!state) return;
    const wanted = this.wantedTracks(state);
    let retiredAny = false;
    for (const [generation, track] of this.tracks) {
      if (wanted.get(generation) !== track.role || track.finished) {
        this.tracks.delete(generation);
        await track.stop();
        retiredAny ||= !wanted.has(generation);
      }
    }
    if (retiredAny) await this.deps.projections.dropRetiredGenerations(this.definition);
    for (const [generation, role] of wanted) {
      if (!this.tracks.has(generation)) {
        const track = new Track(this, this.definition, generation, role, this.deps);
        this.tracks.set(generation, track);
        track.start();
      }
    }
  }

  private wantedTracks(state: ProjectionStateRow): Map<number, TrackRole> {
    const wanted = new Map<number, TrackRole>();
    if (!state.halted) {
      // Serving tables built by another version are left as they are until the rebuild swaps.
      if (state.active_version === this.definition.version) wanted.set(state.active_generation, 'active');
      if (state.building_generation !== null && state.building_version === this.definition.version) {
        wanted.set(state.building_generation, 'building');
      }
    }
    return wanted;
  }

  /** Whether the running tracks are exactly the wanted ones, none of them finished. */
  private matches(wanted: Map<number, TrackRole>): boolean {
    if (wanted.size !== this.tracks.size) return false;
    for (const [generation, track] of this.tracks) {
      if (wanted.get(generation) !== track.role || track.finished) return false;
    }
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const tracks = [...this.tracks.values()];
    this.tracks.clear();
    await Promise.all(tracks.map((t) => t.stop()));
  }

  /**
   * A building generation has caught up: serve it, and retire the old one. False when it was
   * itself retired meanwhile (a newer rebuild replaced it): its track then ends, and the next
   * reconcile restarts the serving track.
   */
  async promote(generation: number): Promise<boolean> {
    const old = [...this.tracks.entries()].find(([g, t]) => g !== generation && t.role === 'active');
    if (old) {
      this.tracks.delete(old[0]);
      await old[1].stop();
    }
    const retired = await this.deps.projections.swap(this.definition, generation);
    if (retired === null) return false;
    const track = this.tracks.get(generation);
    if (track) track.role = 'active';
    await this.deps.projections.dropGeneration(this.definition, retired);
    this.deps.log?.('info', 'projection rebuilt and swapped', { projection: this.definition.name, generation });
    return true;
  }
}

class Track {
  finished = false;
  private subscription: Subscription | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  /** How far it has read the log; ahead of `stored` while it is idle between checkpoint writes. */
  private position: Position | null = null;
  /** What its checkpoint row holds: each write moves it from there, so no other writer is overwritten. */
  private stored: Position | null = null;
  private idleWrittenAt = 0;
  private caughtUp = false;

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly definition: ProjectionDefinition,
    readonly generation: number,
    public role: TrackRole,
    private readonly deps: RunnerDependencies,
  ) {}

  start(): void {
    this.loop = this.run().catch((error: Error) => {
      if (!(error instanceof LeaseLostError)) {
        this.deps.log?.('error', 'projection track failed', { projection: this.definition.name, error: error.message });
      }
    }).finally(() => {
      this.finished = true;
    });
  }

  /** Stops after the batch in hand is committed. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.stop();
    await this.loop;
  }

  private get batchSize(): number {
    return this.definition.batchSize ?? this.deps.batchSize;
  }

  private async run(): Promise<void> {
    const name = this.definition.name;
    const checkpoint = await this.deps.projections.checkpoint(name, this.generation);
    if (!checkpoint) return;
    this.position = checkpoint.position;
    this.stored = checkpoint.position;
    await this.deps.projections.setCaughtUp(name, this.generation, false);
    this.subscription = this.deps.store.subscribeToAll({
      fromPosition: this.position ?? 'start',
      filter: { eventTypes: this.definition.eventTypes },
      maxBatchSize: this.batchSize,
    });
    if (this.stopping) await this.subscription.stop();
    for await (const message of this.subscription) {
      if (message.type === 'events') {
        const applied = await this.applyBatch(message.events);
        if (!applied) return;
        if (message.events.length === this.batchSize && this.caughtUp) {
          this.caughtUp = false;
          await this.deps.projections.setCaughtUp(name, this.generation, false);
        }
        continue;
      }
      if (message.position !== null && (this.position === null || message.position > this.position)) {
        // Events this projection does not handle were passed over: the checkpoint moves past them,
        // now and then (each append anywhere in the log would otherwise cost every idle projection a commit).
        this.position = message.position;
        await this.moveIdleCheckpoint();
      }
      if (!this.caughtUp) {
        this.caughtUp = true;
        await this.deps.projections.setCaughtUp(name, this.generation, true);
      }
      if (this.role === 'building' && !this.stopping) {
        await this.moveIdleCheckpoint(true);
        if (!(await this.runner.promote(this.generation))) return;
      }
      if (this.stopping) break;
      if (this.deps.liveBatchMs) await delay(this.deps.liveBatchMs);
    }
    // Stopped: what it read while idle is not read again after a restart.
    await this.moveIdleCheckpoint(true);
  }

  /**
   * Applies a batch; a failing event is retried alone, then the projection halts before it. A
   * generation retired meanwhile (a newer rebuild dropped its tables) is no failure: its track ends.
   */
  private async applyBatch(events: readonly RecordedEvent[]): Promise<boolean> {
    try {
      await this.commit(events);
      return true;
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      if (await this.retired()) return false;
    }
    for (const event of events) {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.commit([event]);
          break;
        } catch (error) {
          if (error instanceof LeaseLostError) throw error;
          if (await this.retired()) return false;
          if (attempt > this.deps.maxRetries) {
            const message = `${event.type} at ${event.position}: ${(error as Error).message}`;
            await this.deps.projections.halt(this.definition.name, this.generation, event.position, message);
            this.deps.log?.('error', 'projection halted', { projection: this.definition.name, error: message });
            return false;
          }
          await delay((this.deps.retryDelayMs ?? 100) * 2 ** (attempt - 1));
        }
      }
    }
    return true;
  }

  /** Whether this generation is no longer the projection's: its checkpoint is gone with its tables. */
  private async retired(): Promise<boolean> {
    return (await this.deps.projections.checkpoint(this.definition.name, this.generation)) === undefined;
  }

  private async commit(events: readonly RecordedEvent[]): Promise<void> {
    const last = events[events.length - 1];
    await this.deps.knex.transaction(async (trx) => {
      const context = this.context(trx);
      await this.definition.apply(events.map((recorded) => this.deps.schemas.upcast(recorded)), context);
      await this.deps.projections.moveCheckpoint(trx, this.definition.name, this.generation, this.stored, last.position, last.recordedAt, this.deps.lease);
    });
    this.position = last.position;
    this.stored = last.position;
    this.deps.onApplied?.(this.definition.name, events.length, last.position);
  }

  /** Writes how far it has read, if the last such write is `idleCheckpointMs` old; a rebuilt generation's is written at once, before its swap. */
  private async moveIdleCheckpoint(force = false): Promise<void> {
    if (this.position === null || this.position === this.stored) return;
    const now = Date.now();
    if (!force && now - this.idleWrittenAt < (this.deps.idleCheckpointMs ?? 1000)) return;
    await this.deps.projections.moveCheckpoint(this.deps.knex, this.definition.name, this.generation, this.stored, this.position, null, this.deps.lease);
    this.stored = this.position;
    this.idleWrittenAt = now;
  }

  private context(trx: Knex.Transaction): ProjectionContext {
    const tables = this.definition.tables;
    const generation = this.generation;
    const tableName = (name: string): string => {
      if (!(name in tables)) throw new Error(`Projection ${this.definition.name} has no table "${name}"`);
      return physicalTable(name, generation);
    };
    return { trx, tableName, table: (name) => trx(tableName(name)) };
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
