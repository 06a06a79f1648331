import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import { CLOCK, type Clock, LOGGER, ReadModels } from '@app/core';
import { taskReshufflesQueries } from '@app/projections/tasks/task-reshuffles/task-reshuffles.queries';
import { CarryOutReshuffleCommand } from './carry-out-reshuffle.command';
import { RESHUFFLE_CONFIG, type ReshuffleConfig } from './reshuffle.config';

/**
 * The worker's side of resumable reshuffles: at start-up and then every `checkEveryMs`, it sends
 * `CarryOutReshuffleCommand` for every reshuffle that started more than `abandonedAfterMs` ago and
 * never finished (its process died, or a command failed). Should the original run still be going,
 * both runs together still reassign each task once, so being wrong about "abandoned" costs time,
 * never correctness. Only a reshuffle whose start was recorded is found here, and a start is
 * recorded only when no other reshuffle is running: a request refused with 409 leaves nothing to resume.
 */
@Injectable()
export class ReshuffleResumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  constructor(
    private readonly commandBus: CommandBus,
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(RESHUFFLE_CONFIG) private readonly config: ReshuffleConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.check(), this.config.checkEveryMs).unref();
    this.check();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Carries out every unfinished reshuffle started before `startedBefore`; resolves to how many. */
  async resumeAbandoned(startedBefore: Date): Promise<number> {
    const abandoned = await this.readModels.use(taskReshufflesQueries).unfinishedBefore(startedBefore);
    for (const { reshuffle_id: reshuffleId, started_position: startedAt, stream_name: stream } of abandoned) {
      try {
        const { reassigned } = await this.commandBus.execute(new CarryOutReshuffleCommand(reshuffleId, startedAt, stream));
        this.logger.info({ reshuffleId, reassigned }, 'abandoned reshuffle finished');
      } catch (error) {
        this.logger.warn({ reshuffleId, error: (error as Error).message }, 'abandoned reshuffle could not be finished yet');
      }
    }
    return abandoned.length;
  }

  private check(): void {
    this.running = this.running
      .then(() => this.resumeAbandoned(new Date(this.clock.now().getTime() - this.config.abandonedAfterMs)))
      .then(
        () => undefined,
        (error: Error) => this.logger.warn({ error: error.message }, 'looking for abandoned reshuffles failed'),
      );
  }
}
