import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from 'knex';
import { ConsistencyWaiter, KNEX, PLATFORM_CONFIG, type PlatformConfig } from '@app/core';
import { EVENT_STORE, type EventStore, type Position } from '@app/eventstore';
import { USERS_PROJECTION, type UserRow } from '@app/projections/identity/users.projection';

/**
 * Who can be given a task. Read from identity's `users` read model, which is where the tasks
 * context learns about people, but only once that read model has processed every event up to
 * the command (`asOf`, by default everything committed so far): a role change made before the
 * command is always seen, so a former worker is never chosen. Only the choice is read here; the
 * choice itself is recorded in the task's events.
 */
@Injectable()
export class WorkerDirectory {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly waiter: ConsistencyWaiter,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async workerIds(asOf?: Position): Promise<string[]> {
    const position = asOf ?? (await this.store.headPosition());
    if (position !== null) await this.waiter.waitFor([USERS_PROJECTION], position, this.config.consistencyTimeoutMs);
    return this.knex<UserRow>('users').where({ role: 'worker' }).pluck('user_id');
  }
}

/** A uniformly random worker, drawn in the handler so the decision, not the draw, is replayed. */
export function drawWorker(workerIds: readonly string[]): string {
  return workerIds[randomInt(workerIds.length)];
}
