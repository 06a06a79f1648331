import type { Position } from '@app/eventstore';
import { DomainError } from '../errors/domain-error';
import type { ProjectionStore } from './projection-store';

/** Raised when the read models a query reads did not reach the asked position in time. */
export class ReadModelLaggingError extends DomainError {
  override readonly name = 'ReadModelLaggingError';

  constructor(
    readonly projections: readonly string[],
    readonly position: Position,
    readonly retryAfterSeconds: number,
  ) {
    super('READ_MODEL_LAGGING', `Read models ${projections.join(', ')} have not reached position ${position} yet`, 503, {
      projections,
      position,
    });
  }
}

/** A read model to wait for: the projection itself, or its name. */
export type ProjectionRef = string | { readonly name: string };

/**
 * Read-your-writes: waits until the serving generation of each projection has processed a
 * position. Waiters share one poll of the checkpoints, so many waiting requests cost one query.
 */
export class ConsistencyWaiter {
  private waiters: Array<{ names: readonly string[]; position: Position; resolve: () => void }> = [];
  private polling = false;

  constructor(
    private readonly projections: ProjectionStore,
    private readonly pollMs = 5,
  ) {}

  /**
   * The platform's one waiting contract (process managers' `ProcessManagerStore.waitFor` keeps it
   * too): resolves once every projection in `projections` serves `position`; rejects with
   * ReadModelLaggingError after `timeoutMs`, or with the abort reason as soon as `signal` aborts.
   */
  async waitFor(projections: readonly ProjectionRef[], position: Position, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const names = projections.map((projection) => (typeof projection === 'string' ? projection : projection.name));
    if (names.length === 0) return;
    signal?.throwIfAborted();
    if (await this.reached(names, position)) return;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const waiter = { names, position, resolve: () => undefined as void };
    const reached = new Promise<boolean>((resolve, reject) => {
      waiter.resolve = () => resolve(true);
      timer = setTimeout(() => resolve(false), timeoutMs);
      onAbort = () => reject(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    this.waiters.push(waiter);
    void this.poll();
    try {
      if (!(await reached)) throw new ReadModelLaggingError(names, position, Math.max(1, Math.ceil(timeoutMs / 1000)));
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      this.waiters = this.waiters.filter((w) => w !== waiter);
    }
  }

  private async reached(names: readonly string[], position: Position): Promise<boolean> {
    const positions = await this.projections.servingPositions(names);
    return names.every((name) => hasReached(positions.get(name), position));
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      while (this.waiters.length > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.pollMs));
        // Waiters that timed out meanwhile are gone; with none left, no query (the app may be closing).
        if (this.waiters.length === 0) break;
        const names = [...new Set(this.waiters.flatMap((w) => w.names))];
        // A failed poll is tried again; waiters still time out on their own.
        const positions = await this.projections.servingPositions(names).catch(() => new Map<string, string | null>());
        const reached = this.waiters.filter((waiter) => waiter.names.every((name) => hasReached(positions.get(name), waiter.position)));
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
