import 'reflect-metadata';
import type { DynamicModule, INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  configureHttpApp,
  type ContextDefinition,
  createLogger,
  defineContext,
  createHttpAdapter,
  HTTP_APP_OPTIONS,
  loadConfig,
  loadContextConfigs,
  PinoNestLogger,
  type PlatformConfig,
  PlatformModule,
  type ProjectionDefinition,
} from '@app/core';
import { contexts as platformContexts } from '../../apps/contexts';
import { type Exchange, recordResponses, ResponseConformance } from './response-conformance';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestAppOptions {
  /** The app's modules (for example ApiModule, WorkerModule, or a test-only module). */
  imports: NonNullable<ModuleMetadata['imports']>;
  /** The contexts it runs (their projections, schemas, process managers and settings); `apps/contexts.ts` for the whole platform. */
  contexts?: readonly ContextDefinition[];
  /** Test-only projections, run as one more context. */
  projections?: ProjectionDefinition[];
  /** Environment variables on top of the defaults, as a user would set them. */
  env?: Record<string, string>;
  /** Reuse a database (for example to restart the app on the same data); a fresh one otherwise. */
  database?: TestDatabase;
  /** Providers replaced by test doubles, for example the clock. */
  overrides?: Array<{ provide: unknown; useValue: unknown }>;
}

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  database: TestDatabase;
  config: PlatformConfig;
  /**
   * Every response the app sends is checked against its own API document (/docs-json); `close()`
   * fails, listing them, when one did not conform.
   */
  conformance: ResponseConformance;
  /** Closes the app; drops the database unless `keepDatabase`. Throws when a response did not conform. */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

class TestRootModule {}

/**
 * The real HTTP app (the same global pipes, filters and interceptors as `npm start`) on a fresh
 * migrated database, listening on an ephemeral port, with logs silenced unless LOG_LEVEL is set.
 */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase('app'));
  const config = loadConfig({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', ...options.env, DATABASE_URL: database.url });
  const logger = createLogger(config.logLevel);
  const contexts = [...(options.contexts ?? []), ...(options.projections ? [defineContext({ name: 'test-fixtures', projections: options.projections })] : [])];
  // Every platform context's settings (launch loads only those of the app part it runs), so a test
  // can import any context's module without its projections; read from the environment as launch
  // reads it (the process's, with the test's on top).
  const contextConfigs = loadContextConfigs(platformContexts, { ...process.env, ...options.env }, config);
  const root: DynamicModule = {
    module: TestRootModule,
    imports: [
      PlatformModule.forRoot({
        config,
        databaseUrl: database.url,
        logger,
        contexts,
        contextConfigs,
      }),
      ...options.imports,
    ],
  };
  const builder = Test.createTestingModule({ imports: [root] });
  for (const { provide, useValue } of options.overrides ?? []) builder.overrideProvider(provide).useValue(useValue);
  const moduleRef = await builder.compile();
  // HTTP_ADAPTER=express runs the same tests on Express.
  const adapter = createHttpAdapter(config);
  const nestOptions = { ...HTTP_APP_OPTIONS, logger: new PinoNestLogger(logger) };
  const app = adapter ? moduleRef.createNestApplication(adapter, nestOptions) : moduleRef.createNestApplication(nestOptions);
  let conformance: ResponseConformance | undefined;
  const beforeTheDocument: Exchange[] = [];
  app.use(recordResponses((exchange) => (conformance ? conformance.check(exchange) : beforeTheDocument.push(exchange))));
  configureHttpApp(app);
  await app.listen(0, '127.0.0.1');
  conformance = new ResponseConformance((await request(app.getHttpServer()).get('/docs-json').expect(200)).body);
  for (const exchange of beforeTheDocument) conformance.check(exchange);
  return {
    app,
    http: request(app.getHttpServer()),
    database,
    config,
    conformance,
    async close({ keepDatabase = false } = {}) {
      await app.close();
      if (!keepDatabase) await database.drop();
      conformance!.assertConforming();
    },
  };
}
