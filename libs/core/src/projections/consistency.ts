import type { EventStore, Position } from '@app/eventstore';
import { defineError } from '../errors/domain-error';
import { currentContext } from '../context/request-context';
import { ReactionGraph } from '../process-managers/reaction-graph';
import { hasEveryEventOf } from './idle-reader';
import type { ProjectionStore } from './projection-store';

/** Raised when the read models a query reads did not reach the asked position in time. */
export class ReadModelLaggingError extends defineError({
  code: 'READ_MODEL_LAGGING',
  status: 503,
  meaning: 'A read model has not reached the ?after= position in time (CONSISTENCY_TIMEOUT_MS); try again after Retry-After seconds',
}) {
  override readonly name = 'ReadModelLaggingError';

  constructor(
    readonly projections: readonly string[],
    readonly position: Position,
    readonly retryAfterSeconds: number,
    /** The process managers upstream of them that had not handled the log up to there, if that is where it stopped. */
    readonly processManagers: readonly string[] = [],
  ) {
    super(
      processManagers.length > 0
        ? `Read models ${projections.join(', ')} wait for process managers ${processManagers.join(', ')}, which have not reached position ${position} yet`
        : `Read models ${projections.join(', ')} have not reached position ${position} yet`,
      { projections, position, ...(processManagers.length > 0 ? { processManagers } : {}) },
    );
  }
}

/** A read model to wait for: the projection itself, or its name. */
export type ProjectionRef = string | { readonly name: string; readonly eventTypes?: readonly string[] };

/** Where the process managers a wait reaches through stand: their checkpoints and what they wrote. */
export interface ReactionProgress {
  progress(names: readonly string[]): Promise<Map<string, { position: Position | null; writtenUpTo: Position | null }>>;
}

export interface ConsistencyWaiterOptions {
  /** Which process managers feed which read models; without it, a wait is for the projections alone. */
  reactions?: ReactionGraph;
  /** Their checkpoints; needed with `reactions`. */
  processManagers?: ReactionProgress;
  /**
   * The log, to tell an idle reader from a lagging one: a reader whose checkpoint is behind the
   * target but that has every event of its types is there already (its checkpoint moves past
   * other events only now and then). Without it, a wait is for the checkpoints alone.
   */
  log?: Pick<EventStore, 'headPosition'>;
  /** How often, at most, each reader is asked of the log whether it is idle; default 20 ms. */
  idleCheckMs?: number;
  pollMs?: number;
}

/** One step of a wait: these process managers, or (last) these projections, must reach the target. */
interface Stage {
  kind: 'process-managers' | 'projections';
  names: readonly string[];
}

interface Waiter {
  stages: readonly Stage[];
  /** The stage not reached yet. */
  at: number;
  /** The position the current stage must reach: the asked one, raised by what earlier stages wrote. */
  target: Position;
  /** When the current stage began (`ConsistencyWaiter.sequence`): everything it waits for was committed before. */
  since: number;
  /** Of the current stage, those last seen short of the target. */
  behind: readonly string[];
  resolve: () => void;
}

interface Snapshot {
  projections: Map<string, string | null>;
  processManagers: Map<string, { position: Position | null; writtenUpTo: Position | null }>;
}

/**
 * A look at the log for one reader: begun at `sequence`, whether the reader had every event of its
 * types then, and the log's head then (a target past it is not written yet, so not reached).
 */
interface IdleCheck {
  sequence: number;
  startedAt: number;
  idle: boolean;
  head: Position | null;
}

/**
 * Read-your-writes, through reactions: waits until the serving generation of each projection has
 * processed a position, and, for a read model that process managers feed (`reactions`), until
 * every process manager upstream of it has handled the log up to that position and the read model
 * has applied what they wrote meanwhile. Layer by layer: the first process managers must reach
 * the position; those they feed must reach the highest position the first ones wrote; the read
 * model must reach the highest any of them wrote. Waiters share one poll of the checkpoints, so
 * many waiting requests cost two queries.
 */
export class ConsistencyWaiter {
  private waiters: Waiter[] = [];
  private polling = false;
  private readonly reactions: ReactionGraph;
  private readonly pollMs: number;
  private readonly idleCheckMs: number;
  /** Orders stage starts and idle checks: a check tells about the commits made before it began. */
  private sequence = 0;
  private readonly idleChecks = new Map<string, IdleCheck>();
  /** Event types of the projections waited for by reference, for those the graph does not name. */
  private readonly typesOf = new Map<string, readonly string[]>();

  constructor(
    private readonly projections: ProjectionStore,
    private readonly options: ConsistencyWaiterOptions = {},
  ) {
    this.reactions = options.reactions ?? ReactionGraph.empty;
    this.pollMs = options.pollMs ?? 5;
    this.idleCheckMs = options.idleCheckMs ?? 20;
  }

  /**
   * The platform's one waiting contract (process managers' `ProcessManagerStore.waitFor` keeps it
   * too): resolves once every projection in `projections`, and every process manager upstream of
   * them, has reached `position` as above; rejects with ReadModelLaggingError after `timeoutMs`
   * (`Infinity` waits as long as it takes), or with the abort reason as soon as `signal` aborts.
   * `throughReactions: false` waits for the projections alone (for a position a caller wrote itself).
   */
  async waitFor(
    projections: readonly ProjectionRef[],
    position: Position,
    timeoutMs: number,
    signal?: AbortSignal,
    { throughReactions = true }: { throughReactions?: boolean } = {},
  ): Promise<void> {
    const names = projections.map((projection) => (typeof projection === 'string' ? projection : projection.name));
    if (names.length === 0) return;
    for (const projection of projections) {
      if (typeof projection !== 'string' && projection.eventTypes) this.typesOf.set(projection.name, projection.eventTypes);
    }
    signal?.throwIfAborted();
    // A reaction waiting (the close its workflow runs) does not wait for itself: it is not past the event it is handling.
    const self = currentContext()?.reaction;
    const upstream = throughReactions
      ? this.reactions
          .upstreamOf(names)
          .map((layer) => layer.filter((name) => name !== self))
          .filter((layer) => layer.length > 0)
      : [];
    const stages: Stage[] = [
      ...upstream.map((layer): Stage => ({ kind: 'process-managers', names: layer })),
      { kind: 'projections', names },
    ];
    const waiter: Waiter = { stages, at: 0, target: position, since: ++this.sequence, behind: [], resolve: () => undefined };
    if (this.advance(waiter, await this.snapshot([waiter]))) return;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const reached = new Promise<boolean>((resolve, reject) => {
      waiter.resolve = () => resolve(true);
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => resolve(false), timeoutMs);
      onAbort = () => reject(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    this.waiters.push(waiter);
    void this.poll();
    try {
      if (!(await reached)) {
        const stage = waiter.stages[waiter.at];
        const behind = waiter.behind.length > 0 ? waiter.behind : stage.names;
        throw new ReadModelLaggingError(names, position, Math.max(1, Math.ceil(timeoutMs / 1000)), stage.kind === 'process-managers' ? behind : []);
      }
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      this.waiters = this.waiters.filter((w) => w !== waiter);
    }
  }

  /** The process managers upstream of these read models, in the layers a wait goes through. */
  upstreamOf(projections: readonly ProjectionRef[]): string[][] {
    return this.reactions.upstreamOf(projections.map((projection) => (typeof projection === 'string' ? projection : projection.name)));
  }

  /** Moves `waiter` through the stages `snapshot` shows reached; true once past the last. */
  private advance(waiter: Waiter, snapshot: Snapshot): boolean {
    for (; waiter.at < waiter.stages.length; waiter.at++, waiter.since = ++this.sequence) {
      const { kind, names } = waiter.stages[waiter.at];
      if (kind === 'projections') {
        waiter.behind = names.filter((name) => !this.isPast(name, snapshot.projections.get(name), waiter));
        if (waiter.behind.length > 0) return false;
        continue;
      }
      const rows = names.map((name) => snapshot.processManagers.get(name));
      waiter.behind = names.filter((name, index) => !rows[index] || !this.isPast(name, rows[index].position, waiter));
      if (waiter.behind.length > 0) return false;
      // Past the target, everything these reacted to up to it is written, at or before what they wrote.
      for (const row of rows) if (row!.writtenUpTo && row!.writtenUpTo > waiter.target) waiter.target = row!.writtenUpTo;
    }
    return true;
  }

  /**
   * Whether a reader is past the waiter's target: its checkpoint is, or a look at the log begun
   * after the stage began found it had every event of its types (so every one committed before the
   * target's write too, whatever its checkpoint says about events of other types).
   */
  private isPast(name: string, checkpoint: Position | null | undefined, waiter: Waiter): boolean {
    if (hasReached(checkpoint, waiter.target)) return true;
    const check = this.idleChecks.get(name);
    return check !== undefined && check.idle && check.sequence > waiter.since && hasReached(check.head, waiter.target);
  }

  /**
   * Looks at the log for the readers that hold waiters back (behind their current stage's target),
   * each at most once per `idleCheckMs`: a reader is idle when no event of its types lies past its
   * checkpoint. The checkpoint was read before the look began, so "idle" holds for every event
   * committed before then.
   */
  private async checkIdle(waiters: readonly Waiter[], snapshot: Snapshot): Promise<void> {
    const log = this.options.log;
    if (!log) return;
    const lagging = new Map<string, Position | null>();
    for (const waiter of waiters) {
      const stage = waiter.stages[waiter.at];
      if (!stage) continue;
      for (const name of stage.names) {
        const checkpoint = stage.kind === 'projections' ? snapshot.projections.get(name) : snapshot.processManagers.get(name)?.position;
        if (checkpoint === undefined || hasReached(checkpoint, waiter.target)) continue;
        const last = this.idleChecks.get(name);
        // Answered for this waiter already, or asked a moment ago (the next poll may ask again).
        if (last && ((last.idle && last.sequence > waiter.since) || Date.now() - last.startedAt < this.idleCheckMs)) continue;
        lagging.set(name, checkpoint);
      }
    }
    if (lagging.size === 0) return;
    const logHead = log.headPosition();
    await Promise.all(
      [...lagging].map(async ([name, checkpoint]) => {
        const eventTypes = this.typesOf.get(name) ?? this.reactions.eventTypesOf(name);
        if (!eventTypes) return;
        const check: IdleCheck = { sequence: ++this.sequence, startedAt: Date.now(), idle: false, head: null };
        this.idleChecks.set(name, check);
        const [idle, head] = await Promise.all([hasEveryEventOf(log, eventTypes, checkpoint), logHead]);
        check.head = head;
        check.idle = idle;
      }),
    );
    await logHead;
  }

  /** The checkpoints the waiters' current stages need: process managers first, so projections read after them are no older. */
  private async snapshot(waiters: readonly Waiter[]): Promise<Snapshot> {
    const wanted = (kind: Stage['kind']) => [
      ...new Set(waiters.flatMap((waiter) => waiter.stages.slice(waiter.at).filter((stage) => stage.kind === kind).flatMap((stage) => stage.names))),
    ];
    const managers = wanted('process-managers');
    const processManagers = managers.length > 0 && this.options.processManagers ? await this.options.processManagers.progress(managers) : new Map();
    const projections = await this.projections.servingPositions(wanted('projections'));
    const snapshot = { projections, processManagers };
    await this.checkIdle(waiters, snapshot);
    return snapshot;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      while (this.waiters.length > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.pollMs));
        // Waiters that timed out meanwhile are gone; with none left, no query (the app may be closing).
        if (this.waiters.length === 0) break;
        const waiters = [...this.waiters];
        // A failed poll is tried again; waiters still time out on their own.
        const snapshot = await this.snapshot(waiters).catch(() => null);
        if (!snapshot) continue;
        const reached = waiters.filter((waiter) => this.advance(waiter, snapshot));
        this.waiters = this.waiters.filter((waiter) => !reached.includes(waiter));
        for (const waiter of reached) waiter.resolve();
      }
    } finally {
      this.polling = false;
    }
  }
}

function hasReached(at: string | null | undefined, position: Position): boolean {
  return at !== undefined && at !== null && at >= position;
}
