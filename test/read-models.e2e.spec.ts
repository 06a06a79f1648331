import { Controller, Get, Module, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ConsistentQuery, defineProjection, defineQueries, type DomainEvent, ReadModels, ReadsFrom } from '@app/core';
import { startTestApp, type TestApp } from './support/test-app';

type Noted = DomainEvent<'Noted', { id: string }>;

const readModel = (name: string) =>
  defineProjection<Noted>({ name, version: 1, tables: { [name]: (t) => t.text('id').primary() }, eventTypes: ['Noted'], apply: async () => undefined });
const notes = readModel('notes');
const tags = readModel('tags');
const noteQueries = defineQueries(notes, ({ table }) => ({ ids: (): Promise<string[]> => table<{ id: string }>('notes').pluck('id') }));
const tagQueries = defineQueries(tags, ({ table }) => ({ ids: (): Promise<string[]> => table<{ id: string }>('tags').pluck('id') }));

@Controller('notes')
class NotesController {
  constructor(private readonly readModels: ReadModels) {}

  @Get('declared')
  @ReadsFrom(notes)
  @ApiOkResponse({ type: String, isArray: true })
  declared(@Query() _query: ConsistentQuery): Promise<string[]> {
    return this.readModels.use(noteQueries).ids();
  }

  /** A bug on purpose: it reads `tags` without declaring it, so `?after=` would not wait for it. */
  @Get('undeclared')
  @ReadsFrom(notes)
  @ApiOkResponse({ type: String, isArray: true })
  async undeclared(@Query() _query: ConsistentQuery): Promise<string[]> {
    await Promise.resolve();
    return this.readModels.use(tagQueries).ids();
  }

  /** An endpoint with no declaration is not a read-your-writes endpoint; nothing restricts it. */
  @Get('free')
  @ApiOkResponse({ type: String, isArray: true })
  free(): Promise<string[]> {
    return this.readModels.use(tagQueries).ids();
  }
}

@Module({ controllers: [NotesController] })
class NotesModule {}

describe('@ReadsFrom and the read models an endpoint may read', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ imports: [NotesModule], projections: [notes, tags] });
  });

  afterAll(() => app.close());

  it('serves the read models it declares', async () => {
    await app.http.get('/notes/declared').expect(200, []);
  });

  it('refuses, as a bug (500), a read model it does not declare, even after an await', async () => {
    const response = await app.http.get('/notes/undeclared').expect(500);
    expect(response.body.error.code).toBe('INTERNAL_ERROR');
  });

  it('leaves the next request and endpoints without a declaration unrestricted', async () => {
    await app.http.get('/notes/free').expect(200, []);
    await app.http.get('/notes/declared').expect(200, []);
  });
});
