import type { Clock, CommandRunner, ConsistencyWaiter, PlatformConfig, ReadModels } from '@app/core';
import { reshuffleDecider, RESHUFFLES_STREAM } from '../../domain/reshuffle.decider';
import { taskDecider } from '../../domain/task.decider';
import { NoWorkers } from '../../domain/tasks.errors';
import type { WorkerDirectory } from '../worker-directory';
import { CarryOutReshuffleCommand } from './carry-out-reshuffle.command';
import { CarryOutReshuffleHandler } from './carry-out-reshuffle.handler';

describe('CarryOutReshuffleHandler', () => {
  const startedAt = '0000000000000010-0000000000000000';
  const finishedAt = '0000000000000020-0000000000000000';
  const reshuffleId = 'c0000000-0000-4000-8000-000000000003';
  const worker = 'a0000000-0000-4000-8000-000000000001';

  function handler({ workerIds, openTaskIds, finishAppends = true }: { workerIds: string[]; openTaskIds: string[]; finishAppends?: boolean }) {
    const commands = {
      run: jest.fn(async (decider: unknown, _stream: string, command: { type: string; data: { taskId?: string } }) => {
        if (decider === reshuffleDecider) return { events: finishAppends ? [{}] : [], state: {}, nextExpectedRevision: 1n, position: finishedAt };
        // Every second task was reached already by another run of this reshuffle.
        const reached = openTaskIds.indexOf(command.data.taskId!) % 2 === 1;
        return { events: reached ? [] : [{}], state: {}, nextExpectedRevision: 1n, position: startedAt };
      }),
    };
    const waiter = { waitFor: jest.fn(async () => undefined) };
    const readModels = { use: () => ({ openTaskIds: async () => openTaskIds }) };
    const workers = { workerIds: jest.fn(async () => workerIds) };
    const clock: Clock = { now: () => new Date('2024-05-01T09:00:00.000Z') };
    const subject = new CarryOutReshuffleHandler(
      commands as unknown as CommandRunner,
      workers as unknown as WorkerDirectory,
      readModels as unknown as ReadModels,
      waiter as unknown as ConsistencyWaiter,
      { consistencyTimeoutMs: 10 } as PlatformConfig,
      clock,
    );
    return { subject, commands, waiter, workers };
  }

  it('reads the board and the workers as of the start, reassigns each open task, then finishes with the count it reassigned', async () => {
    const { subject, commands, waiter, workers } = handler({ workerIds: [worker], openTaskIds: ['t1', 't2', 't3'] });
    await expect(subject.execute(new CarryOutReshuffleCommand(reshuffleId, startedAt, RESHUFFLES_STREAM))).resolves.toEqual({ reassigned: 2, position: finishedAt });
    expect(waiter.waitFor).toHaveBeenCalledWith([expect.objectContaining({ name: 'task_board' })], startedAt, 10);
    expect(workers.workerIds).toHaveBeenCalledWith(startedAt);
    expect(commands.run.mock.calls.filter(([decider]) => decider === taskDecider)).toHaveLength(3);
    expect(commands.run).toHaveBeenLastCalledWith(reshuffleDecider, RESHUFFLES_STREAM, {
      type: 'FinishReshuffle',
      data: { reshuffleId, reassigned: 2, finishedAt: '2024-05-01T09:00:00.000Z' },
    });
  });

  it('answers with the stream’s last position when another run finished it first', async () => {
    const { subject } = handler({ workerIds: [worker], openTaskIds: ['t1'], finishAppends: false });
    await expect(subject.execute(new CarryOutReshuffleCommand(reshuffleId, startedAt, RESHUFFLES_STREAM))).resolves.toEqual({ reassigned: 1, position: finishedAt });
  });

  it('with open tasks and no worker, finishes having reassigned nothing and answers NO_WORKERS', async () => {
    const { subject, commands } = handler({ workerIds: [], openTaskIds: ['t1'] });
    await expect(subject.execute(new CarryOutReshuffleCommand(reshuffleId, startedAt, 'reshuffle-old'))).rejects.toBeInstanceOf(NoWorkers);
    expect(commands.run.mock.calls).toEqual([[reshuffleDecider, 'reshuffle-old', expect.objectContaining({ type: 'FinishReshuffle', data: expect.objectContaining({ reassigned: 0 }) })]]);
  });
});
