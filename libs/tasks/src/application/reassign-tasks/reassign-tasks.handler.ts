import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner, ConsistencyWaiter, DomainError, PLATFORM_CONFIG, type PlatformConfig, ReadModels } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { taskBoardProjection } from '@app/projections/tasks/task-board/task-board.projection';
import { taskBoardQueries } from '@app/projections/tasks/task-board/task-board.queries';
import { reshuffleDecider, RESHUFFLES_STREAM } from '../../domain/reshuffle.decider';
import { NoWorkers, ReshuffleUnfinished } from '../../domain/tasks.errors';
import { WorkerDirectory } from '../worker-directory';
import { CarryOutReshuffleCommand } from './carry-out-reshuffle.command';
import { ReassignTasksCommand, type ReassignedTasks } from './reassign-tasks.command';

/**
 * Records a new reshuffle, then carries it out (`CarryOutReshuffleCommand`); if this run stops
 * half-way, the resumer carries it out again. What answers 4xx did nothing: refused before its
 * start (another reshuffle runs, or there is nobody to assign to) nothing is written; once
 * started it is finished, by this run (200) or, when this run stops part-way (5xx), by the resumer.
 */
@Injectable()
@CommandHandler(ReassignTasksCommand)
export class ReassignTasksHandler implements ICommandHandler<ReassignTasksCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly commandBus: CommandBus,
    private readonly workers: WorkerDirectory,
    private readonly readModels: ReadModels,
    private readonly waiter: ConsistencyWaiter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ requestedBy }: ReassignTasksCommand): Promise<ReassignedTasks> {
    if (await this.nobodyToAssignTo()) throw new NoWorkers();
    const reshuffleId = randomUUID();
    const { position } = await this.commands.run(reshuffleDecider, RESHUFFLES_STREAM, {
      type: 'StartReshuffle',
      data: { reshuffleId, startedBy: requestedBy, startedAt: this.clock.now().toISOString() },
    });
    try {
      return await this.commandBus.execute(new CarryOutReshuffleCommand(reshuffleId, position!, RESHUFFLES_STREAM));
    } catch (error) {
      // NO_WORKERS after the start has finished the reshuffle having reassigned nothing: no effect.
      if (error instanceof DomainError && error.status < 500 && !(error instanceof NoWorkers)) throw new ReshuffleUnfinished(reshuffleId, error);
      throw error;
    }
  }

  /**
   * Open tasks and no worker, as of now: refused before the start, so nothing is written. The
   * reshuffle checks again as of its start (a worker may lose the role in between).
   */
  private async nobodyToAssignTo(): Promise<boolean> {
    if ((await this.workers.workerIds()).length > 0) return false;
    const head = await this.store.headPosition();
    if (head !== null) await this.waiter.waitFor([taskBoardProjection], head, this.config.consistencyTimeoutMs);
    return this.readModels.use(taskBoardQueries).anyOpen();
  }
}
