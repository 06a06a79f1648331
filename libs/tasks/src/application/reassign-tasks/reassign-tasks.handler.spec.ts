import { ConcurrencyConflictError, type CommandRunner, type ConsistencyWaiter, type PlatformConfig } from '@app/core';
import type { EventStore } from '@app/eventstore';
import type { Knex } from 'knex';
import { RESHUFFLES_STREAM } from '../../domain/reshuffle.decider';
import { NoWorkers } from '../../domain/tasks.errors';
import type { WorkerDirectory } from '../worker-directory';
import { ReassignTasksCommand } from './reassign-tasks.command';
import { ReshuffleUnfinished } from '../../domain/tasks.errors';
import { ReassignTasksHandler } from './reassign-tasks.handler';
import type { TaskReshuffler } from './task-reshuffler';

/** Once its start is recorded a reshuffle will be finished, so a failure after it is never a 4xx. */
describe('ReassignTasksHandler after the start', () => {
  const position = '0000000000000010-0000000000000000';
  function handler(carryOut: TaskReshuffler['carryOut']) {
    const commands = { run: jest.fn(async () => ({ events: [{}], nextExpectedRevision: 0n, position })) };
    const workers = { workerIds: async () => ['a0000000-0000-4000-8000-000000000001'] };
    const reshuffler = { carryOut: jest.fn(carryOut) };
    const subject = new ReassignTasksHandler(
      commands as unknown as CommandRunner,
      reshuffler as unknown as TaskReshuffler,
      workers as unknown as WorkerDirectory,
      {} as ConsistencyWaiter,
      {} as Knex,
      {} as EventStore,
      { consistencyTimeoutMs: 10 } as PlatformConfig,
    );
    return { subject, commands, reshuffler };
  }

  it('starts the reshuffle in the one reshuffles stream, then carries it out', async () => {
    const { subject, commands, reshuffler } = handler(async () => ({ reassigned: 3, position }));
    await expect(subject.execute(new ReassignTasksCommand('m'))).resolves.toEqual({ reassigned: 3, position });
    expect(commands.run).toHaveBeenCalledWith(expect.anything(), RESHUFFLES_STREAM, expect.objectContaining({ type: 'StartReshuffle' }));
    expect(reshuffler.carryOut).toHaveBeenCalledWith(expect.any(String), position, RESHUFFLES_STREAM);
  });

  it('answers 503 RESHUFFLE_UNFINISHED, not 409, when a task kept conflicting part-way', async () => {
    const { subject } = handler(async () => {
      throw new ConcurrencyConflictError('task-1', 5);
    });
    const failure = subject.execute(new ReassignTasksCommand('m'));
    await expect(failure).rejects.toBeInstanceOf(ReshuffleUnfinished);
    await expect(failure).rejects.toMatchObject({ code: 'RESHUFFLE_UNFINISHED', status: 503, details: { reason: 'CONCURRENCY_CONFLICT' } });
  });

  it('keeps 422 NO_WORKERS: the reshuffle was finished having reassigned nothing', async () => {
    const { subject } = handler(async () => {
      throw new NoWorkers();
    });
    await expect(subject.execute(new ReassignTasksCommand('m'))).rejects.toBeInstanceOf(NoWorkers);
  });
});
