import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { CommandRunner, ConsistencyWaiter, DomainError, KNEX, PLATFORM_CONFIG, type PlatformConfig } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { TASK_BOARD_PROJECTION } from '@app/projections/tasks/task-board.projection';
import { anyOpenTask } from '@app/projections/tasks/task-board.queries';
import { reshuffleDecider, RESHUFFLES_STREAM } from '../../domain/reshuffle.decider';
import { NoWorkers, ReshuffleUnfinished } from '../../domain/tasks.errors';
import { WorkerDirectory } from '../worker-directory';
import { ReassignTasksCommand, type ReassignedTasks } from './reassign-tasks.command';
import { TaskReshuffler } from './task-reshuffler';

/**
 * Records a new reshuffle, then carries it out; if this run stops half-way, the resumer finishes it.
 * What answers 4xx did nothing: refused before its start (another reshuffle runs, or there is
 * nobody to assign to) nothing is written; once started it is finished, by this run (200) or,
 * when this run stops part-way (5xx), by the resumer.
 */
@Injectable()
@CommandHandler(ReassignTasksCommand)
export class ReassignTasksHandler implements ICommandHandler<ReassignTasksCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly reshuffler: TaskReshuffler,
    private readonly workers: WorkerDirectory,
    private readonly waiter: ConsistencyWaiter,
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async execute({ requestedBy }: ReassignTasksCommand): Promise<ReassignedTasks> {
    if (await this.nobodyToAssignTo()) throw new NoWorkers();
    const reshuffleId = randomUUID();
    const { position } = await this.commands.run(reshuffleDecider, RESHUFFLES_STREAM, {
      type: 'StartReshuffle',
      data: { reshuffleId, startedBy: requestedBy, startedAt: new Date().toISOString() },
    });
    try {
      return await this.reshuffler.carryOut(reshuffleId, position!, RESHUFFLES_STREAM);
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
    if (head !== null) await this.waiter.waitFor([TASK_BOARD_PROJECTION], head, this.config.consistencyTimeoutMs);
    return anyOpenTask(this.knex);
  }
}
