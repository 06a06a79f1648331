import type { Knex } from 'knex';
import { createKnex, physicalTable, type ProjectionContext, ReadModels, type Recorded } from '@app/core';
import type { ReshuffleEvent } from '@app/tasks/contract';
import { projectionContext } from '../../../test/support/projection-context';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { taskReshufflesProjection } from './task-reshuffles.projection';
import { taskReshufflesQueries } from './task-reshuffles.queries';

const manager = 'a0000000-0000-4000-8000-000000000001';
const reshuffle = (n: number) => `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

let n = 0;
function recorded<E extends ReshuffleEvent>(streamName: string, type: E['type'], data: E['data']): Recorded<ReshuffleEvent> {
  n++;
  return <Recorded<ReshuffleEvent>>{
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type,
    data,
    metadata: {},
    streamName,
    revision: 0n,
    position: `${n.toString(16).padStart(16, '0')}-0000000000000000`,
    recordedAt: new Date(0),
  };
}
const started = (stream: string, id: string, startedAt: string) => recorded(stream, 'TaskReshuffleStarted', { reshuffleId: id, startedBy: manager, startedAt });
const finished = (stream: string, id: string, finishedAt: string) => recorded(stream, 'TaskReshuffleFinished', { reshuffleId: id, reassigned: 2, finishedAt });

/** An old reshuffle in its own stream, left unfinished; one finished in `reshuffles`; one running there; a finish of one never started. */
const log: Recorded<ReshuffleEvent>[] = [
  started(`reshuffle-${reshuffle(1)}`, reshuffle(1), '2024-05-01T09:00:00.000Z'),
  started('reshuffles', reshuffle(2), '2024-05-01T10:00:00.000Z'),
  finished('reshuffles', reshuffle(2), '2024-05-01T10:00:05.000Z'),
  started('reshuffles', reshuffle(3), '2024-05-01T11:00:00.000Z'),
  finished('reshuffles', reshuffle(9), '2024-05-01T11:00:01.000Z'),
];

describe('task reshuffles', () => {
  let database: TestDatabase;
  let knex: Knex;
  const served = (trx: Knex.Transaction): ProjectionContext<'task_reshuffles'> => ({ trx, table: (name) => trx(name), tableName: (name) => name });

  beforeAll(async () => {
    database = await createTestDatabase('task_reshuffles');
    knex = createKnex(database.url, 2);
    await knex.schema.createTable('task_reshuffles', taskReshufflesProjection.tables.task_reshuffles);
    await knex.schema.createTable(physicalTable('task_reshuffles', 2), taskReshufflesProjection.tables.task_reshuffles);
    await knex.transaction((trx) => taskReshufflesProjection.apply(log, served(trx)));
  });

  afterAll(async () => {
    await knex?.destroy();
    await database?.drop();
  });

  it('reads the two reshuffle event types', () => {
    expect([...taskReshufflesProjection.eventTypes].sort()).toEqual(['TaskReshuffleFinished', 'TaskReshuffleStarted']);
  });

  it('keeps each reshuffle with its stream, its start and whether it finished; a finish of no started reshuffle adds nothing', async () => {
    expect(await knex('task_reshuffles').orderBy('reshuffle_id')).toEqual([
      { reshuffle_id: reshuffle(1), stream_name: `reshuffle-${reshuffle(1)}`, started_at: new Date('2024-05-01T09:00:00.000Z'), started_position: log[0].position, finished_at: null },
      { reshuffle_id: reshuffle(2), stream_name: 'reshuffles', started_at: new Date('2024-05-01T10:00:00.000Z'), started_position: log[1].position, finished_at: new Date('2024-05-01T10:00:05.000Z') },
      { reshuffle_id: reshuffle(3), stream_name: 'reshuffles', started_at: new Date('2024-05-01T11:00:00.000Z'), started_position: log[3].position, finished_at: null },
    ]);
  });

  it('gives the same rows applied one event per batch as in one batch', async () => {
    for (const event of log) {
      await knex.transaction((trx) => taskReshufflesProjection.apply([event], projectionContext(trx, 2) as ProjectionContext<'task_reshuffles'>));
    }
    expect(await knex(physicalTable('task_reshuffles', 2)).orderBy('reshuffle_id')).toEqual(await knex('task_reshuffles').orderBy('reshuffle_id'));
  });

  it('lists the unfinished reshuffles started before a time, oldest first', async () => {
    const reshuffles = new ReadModels(knex).use(taskReshufflesQueries);
    const ids = async (before: string) => (await reshuffles.unfinishedBefore(new Date(before))).map((row) => row.reshuffle_id);
    expect(await ids('2024-05-01T12:00:00.000Z')).toEqual([reshuffle(1), reshuffle(3)]);
    expect(await ids('2024-05-01T11:00:00.000Z')).toEqual([reshuffle(1)]);
    expect(await ids('2024-05-01T09:00:00.000Z')).toEqual([]);
  });
});
