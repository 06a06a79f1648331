import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { KNEX, LOGGER } from '@app/core';
import type { ReshuffleRow } from '@app/projections/tasks/task-reshuffles.projection';
import { TaskReshuffler } from './task-reshuffler';

/** A reshuffle unfinished this long after it started is taken to be abandoned by its run. */
const ABANDONED_AFTER_MS = 60_000;
const CHECK_EVERY_MS = 30_000;

/**
 * The worker's side of resumable reshuffles: at start-up and then periodically, it carries out
 * every reshuffle that started a while ago and never finished (its process died, or a command
 * failed). Should the original run still be going, both runs together still reassign each task
 * once, so being wrong about "abandoned" costs time, never correctness.
 */
@Injectable()
export class ReshuffleResumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly reshuffler: TaskReshuffler,
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.check(), CHECK_EVERY_MS).unref();
    this.check();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Carries out every unfinished reshuffle started before `startedBefore`; resolves to how many. */
  async resumeAbandoned(startedBefore: Date): Promise<number> {
    const abandoned = await this.knex<ReshuffleRow>('task_reshuffles')
      .whereNull('finished_at')
      .where('started_at', '<', startedBefore)
      .orderBy('started_position');
    for (const { reshuffle_id: reshuffleId, started_position: startedAt } of abandoned) {
      try {
        const { reassigned } = await this.reshuffler.carryOut(reshuffleId, startedAt);
        this.logger.info({ reshuffleId, reassigned }, 'abandoned reshuffle finished');
      } catch (error) {
        this.logger.warn({ reshuffleId, error: (error as Error).message }, 'abandoned reshuffle could not be finished yet');
      }
    }
    return abandoned.length;
  }

  private check(): void {
    this.running = this.running
      .then(() => this.resumeAbandoned(new Date(Date.now() - ABANDONED_AFTER_MS)))
      .then(
        () => undefined,
        (error: Error) => this.logger.warn({ error: error.message }, 'looking for abandoned reshuffles failed'),
      );
  }
}
