import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner, ConsistencyWaiter, PLATFORM_CONFIG, type PlatformConfig, ReadModels } from '@app/core';
import type { Position } from '@app/eventstore';
import { taskBoardProjection } from '@app/projections/tasks/task-board/task-board.projection';
import { taskBoardQueries } from '@app/projections/tasks/task-board/task-board.queries';
import { reshuffleDecider } from '../../domain/reshuffle.decider';
import { taskDecider, taskStream } from '../../domain/task.decider';
import { NoWorkers } from '../../domain/tasks.errors';
import { drawWorker, WorkerDirectory } from '../worker-directory';
import { CarryOutReshuffleCommand } from './carry-out-reshuffle.command';
import type { ReassignedTasks } from './reassign-tasks.command';

/** Tasks reassigned at once: a reshuffle of thousands stays short, and the connection pools keep room. */
const CONCURRENCY = 8;

/**
 * Carries out a reshuffle. A reshuffle is resumable: it is recorded as started before any task is
 * touched and as finished after the last, and each task takes part at most once per reshuffle
 * (the task decider skips a reshuffle it has already seen). So a run may stop anywhere (the
 * process dies, a command fails) and another run of the same reshuffle, by the resumer, finishes
 * the tasks left over without reassigning any task twice. Only a reshuffle whose start was
 * recorded is ever carried out, and only one is started at a time (see the reshuffle decider).
 *
 * Every open task gets a random worker, then the reshuffle is recorded finished. The read models
 * are read once they have processed the reshuffle's start, so every task created and every role
 * changed before it are seen. With open tasks and no worker it finishes having done nothing.
 */
@Injectable()
@CommandHandler(CarryOutReshuffleCommand)
export class CarryOutReshuffleHandler implements ICommandHandler<CarryOutReshuffleCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly workers: WorkerDirectory,
    private readonly readModels: ReadModels,
    private readonly waiter: ConsistencyWaiter,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ reshuffleId, startedAt, stream }: CarryOutReshuffleCommand): Promise<ReassignedTasks> {
    await this.waiter.waitFor([taskBoardProjection], startedAt, this.config.consistencyTimeoutMs);
    const [workerIds, taskIds] = await Promise.all([this.workers.workerIds(startedAt), this.readModels.use(taskBoardQueries).openTaskIds()]);
    if (taskIds.length > 0 && workerIds.length === 0) {
      await this.finish(reshuffleId, stream, 0);
      throw new NoWorkers();
    }
    let reassigned = 0;
    await forEachConcurrently(taskIds, CONCURRENCY, async (taskId) => {
      const { events } = await this.commands.run(taskDecider, taskStream(taskId), {
        type: 'ReassignTask',
        data: { taskId, assigneeId: drawWorker(workerIds), reshuffleId, assignedAt: this.clock.now().toISOString() },
      });
      reassigned += events.length;
    });
    return { reassigned, position: await this.finish(reshuffleId, stream, reassigned) };
  }

  /**
   * Records the end; when another run recorded it first, answers with the stream's last position,
   * which is that end or later.
   */
  private async finish(reshuffleId: string, stream: string, reassigned: number): Promise<Position> {
    const { position } = await this.commands.run(reshuffleDecider, stream, {
      type: 'FinishReshuffle',
      data: { reshuffleId, reassigned, finishedAt: this.clock.now().toISOString() },
    });
    // The stream holds at least the reshuffle's start, so it has a last position.
    if (position === null) throw new Error(`Reshuffle ${reshuffleId} is finished in ${stream}, which is empty`);
    return position;
  }
}

/** Runs `work` over the items, `limit` at a time; after a failure no new item is started. */
async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        next = items.length;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
