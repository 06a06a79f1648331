import type { CommandBus } from '@nestjs/cqrs';
import { type Clock, ConcurrencyConflictError, type CommandRunner, type ConsistencyWaiter, type PlatformConfig, type ReadModels } from '@app/core';
import type { EventStore } from '@app/eventstore';
import { RESHUFFLES_STREAM } from '../../domain/reshuffle.decider';
import { NoWorkers } from '../../domain/tasks.errors';
import type { WorkerDirectory } from '../worker-directory';
import { CarryOutReshuffleCommand } from './carry-out-reshuffle.command';
import { ReassignTasksCommand, type ReassignedTasks } from './reassign-tasks.command';
import { ReshuffleUnfinished } from '../../domain/tasks.errors';
import { ReassignTasksHandler } from './reassign-tasks.handler';

/** Once its start is recorded a reshuffle will be finished, so a failure after it is never a 4xx. */
describe('ReassignTasksHandler after the start', () => {
  const position = '0000000000000010-0000000000000000';
  function handler(carryOut: (command: CarryOutReshuffleCommand) => Promise<ReassignedTasks>) {
    const commands = { run: jest.fn(async () => ({ events: [{}], state: {}, nextExpectedRevision: 0n, position })) };
    const workers = { workerIds: async () => ['a0000000-0000-4000-8000-000000000001'] };
    const commandBus = { execute: jest.fn(carryOut) };
    const clock: Clock = { now: () => new Date('2024-05-01T09:00:00.000Z') };
    const subject = new ReassignTasksHandler(
      commands as unknown as CommandRunner,
      commandBus as unknown as CommandBus,
      workers as unknown as WorkerDirectory,
      {} as ReadModels,
      {} as ConsistencyWaiter,
      {} as EventStore,
      { consistencyTimeoutMs: 10 } as PlatformConfig,
      clock,
    );
    return { subject, commands, commandBus };
  }

  it('starts the reshuffle in the one reshuffles stream, then carries it out', async () => {
    const { subject, commands, commandBus } = handler(async () => ({ reassigned: 3, position }));
    await expect(subject.execute(new ReassignTasksCommand('m'))).resolves.toEqual({ reassigned: 3, position });
    expect(commands.run).toHaveBeenCalledWith(expect.anything(), RESHUFFLES_STREAM, expect.objectContaining({ type: 'StartReshuffle' }));
    expect(commandBus.execute).toHaveBeenCalledWith(expect.any(CarryOutReshuffleCommand));
    expect(commandBus.execute).toHaveBeenCalledWith(expect.objectContaining({ reshuffleId: expect.any(String), startedAt: position, stream: RESHUFFLES_STREAM }));
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
