import type { Knex } from 'knex';
import { newContext, runWithContext } from '../context/request-context';
import { defineProjection } from './projection';
import { defineQueries, ReadModels } from './read-models';

const readModel = (name: string) =>
  defineProjection({ name, version: 1, tables: { [name]: (t: Knex.CreateTableBuilder) => t.text('id').primary() }, eventTypes: ['Noted'], apply: async () => undefined });

const notes = readModel('notes');
const tags = readModel('tags');
const noteQueries = defineQueries(notes, ({ table }) => ({ builder: () => table('notes') }));
const tagQueries = defineQueries(tags, ({ table }) => ({ builder: () => table('tags') }));

/** Stands in for knex: a query builder is whatever `knex(table)` answers. */
const knex = ((table: string) => ({ table })) as unknown as Knex;

describe('ReadModels', () => {
  const readModels = new ReadModels(knex);

  it("binds a read model's queries to its tables, once", () => {
    expect(readModels.use(noteQueries).builder()).toEqual({ table: 'notes' });
    expect(readModels.use(noteQueries)).toBe(readModels.use(noteQueries));
  });

  it('within an endpoint that declares its read models, hands out those and refuses any other', () => {
    runWithContext({ ...newContext(), readsFrom: ['notes'] }, () => {
      expect(readModels.use(noteQueries).builder()).toEqual({ table: 'notes' });
      expect(() => readModels.use(tagQueries)).toThrow('Read model tags is read by an endpoint whose @ReadsFrom declares only notes');
    });
  });

  it('outside such an endpoint (a command, a process manager) hands out any', () => {
    runWithContext(newContext(), () => expect(readModels.use(tagQueries).builder()).toEqual({ table: 'tags' }));
    expect(readModels.use(tagQueries).builder()).toEqual({ table: 'tags' });
  });
});
