import type { Recorded } from '@app/core';
import type { ReshuffleEvent } from '@app/tasks/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { taskReshufflesProjection } from './task-reshuffles.projection';
import { taskReshufflesQueries } from './task-reshuffles.queries';

const manager = 'a0000000-0000-4000-8000-000000000001';
const reshuffle = (n: number) => `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const recorded = recorder<ReshuffleEvent>();
const started = (stream: string, id: string, startedAt: string) => recorded('TaskReshuffleStarted', { reshuffleId: id, startedBy: manager, startedAt }, stream);
const finished = (stream: string, id: string, finishedAt: string) => recorded('TaskReshuffleFinished', { reshuffleId: id, reassigned: 2, finishedAt }, stream);

/** An old reshuffle in its own stream, left unfinished; one finished in `reshuffles`; one running there; a finish of one never started. */
const log: Recorded<ReshuffleEvent>[] = [
  started(`reshuffle-${reshuffle(1)}`, reshuffle(1), '2024-05-01T09:00:00.000Z'),
  started('reshuffles', reshuffle(2), '2024-05-01T10:00:00.000Z'),
  finished('reshuffles', reshuffle(2), '2024-05-01T10:00:05.000Z'),
  started('reshuffles', reshuffle(3), '2024-05-01T11:00:00.000Z'),
  finished('reshuffles', reshuffle(9), '2024-05-01T11:00:01.000Z'),
];

describe('task reshuffles', () => {
  const readModel = readModelUnderTest(taskReshufflesProjection, { generations: ['served', 2], batches: [log] });

  it('reads the two reshuffle event types', () => {
    expect([...taskReshufflesProjection.eventTypes].sort()).toEqual(['TaskReshuffleFinished', 'TaskReshuffleStarted']);
  });

  it('keeps each reshuffle with its stream, its start and whether it finished; a finish of no started reshuffle adds nothing', async () => {
    expect(await readModel.rows('task_reshuffles', 'served', 'reshuffle_id')).toEqual([
      { reshuffle_id: reshuffle(1), stream_name: `reshuffle-${reshuffle(1)}`, started_at: new Date('2024-05-01T09:00:00.000Z'), started_position: log[0].position, finished_at: null },
      { reshuffle_id: reshuffle(2), stream_name: 'reshuffles', started_at: new Date('2024-05-01T10:00:00.000Z'), started_position: log[1].position, finished_at: new Date('2024-05-01T10:00:05.000Z') },
      { reshuffle_id: reshuffle(3), stream_name: 'reshuffles', started_at: new Date('2024-05-01T11:00:00.000Z'), started_position: log[3].position, finished_at: null },
    ]);
  });

  it('gives the same rows applied one event per batch as in one batch', async () => {
    await readModel.applyEachAlone(log, 2);
    expect(await readModel.rows('task_reshuffles', 2, 'reshuffle_id')).toEqual(await readModel.rows('task_reshuffles', 'served', 'reshuffle_id'));
  });

  it('lists the unfinished reshuffles started before a time, oldest first', async () => {
    const reshuffles = readModel.queries(taskReshufflesQueries);
    const ids = async (before: string) => (await reshuffles.unfinishedBefore(new Date(before))).map((row) => row.reshuffle_id);
    expect(await ids('2024-05-01T12:00:00.000Z')).toEqual([reshuffle(1), reshuffle(3)]);
    expect(await ids('2024-05-01T11:00:00.000Z')).toEqual([reshuffle(1)]);
    expect(await ids('2024-05-01T09:00:00.000Z')).toEqual([]);
  });
});
