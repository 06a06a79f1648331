import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConsistencyWaiter, PLATFORM_CONFIG, type PlatformConfig, ReadModels } from '@app/core';
import { EVENT_STORE, type EventStore, type Position } from '@app/eventstore';
import { usersProjection, usersQueries } from '@app/identity';

/**
 * Who can be given a task. Read from identity's users read model, which is where the tasks
 * context learns about people, but only once that read model has processed every event it is
 * built from up to the command (`asOf`, by default the last such event committed so far): a role
 * change or deactivation made before the command is always seen, so a former or deactivated worker
 * is never chosen. Only the choice is read here; the choice itself is recorded in the task's events.
 *
 * The list read is kept with the position it is known to be complete for: while no user event
 * comes after that position, the next command reuses it, at the cost of one index lookup
 * instead of waiting for the read model and reading it again.
 */
@Injectable()
export class WorkerDirectory {
  private known: { asOf: Position | null; workerIds: string[] } | null = null;

  constructor(
    private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly waiter: ConsistencyWaiter,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async workerIds(asOf?: Position): Promise<string[]> {
    // The events the users read model is built from: a command must not read it before it has them all.
    const position = asOf ?? (await this.store.headPosition({ eventTypes: usersProjection.eventTypes }));
    const known = this.known;
    if (known && (position === null || (known.asOf !== null && known.asOf >= position))) return known.workerIds;
    if (position !== null) await this.waiter.waitFor([usersProjection], position, this.config.consistencyTimeoutMs);
    const workerIds = await this.readModels.use(usersQueries).activeIdsWithRole('worker');
    if (!this.known || (this.known.asOf ?? '') < (position ?? '')) this.known = { asOf: position, workerIds };
    return workerIds;
  }
}

/** A uniformly random worker, drawn in the handler so the decision, not the draw, is replayed. */
export function drawWorker(workerIds: readonly string[]): string {
  return workerIds[randomInt(workerIds.length)];
}
