import type { INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { ErrorFilter } from '../http/error.filter';
import { createApiDocument } from '../http/openapi';
import { ReadYourWritesInterceptor } from '../http/read-your-writes';
import { requestContextMiddleware } from '../http/request-context.middleware';
import { createValidationPipe } from '../http/validation';
import { PlatformMetrics } from '../observability/metrics';
import { ConsistencyWaiter } from '../projections/consistency';
import { LOGGER, PLATFORM_CONFIG } from './tokens';

/**
 * Everything global about the HTTP app, in one place that main.ts and the e2e tests share:
 * request context and logging, validation, error bodies, read-your-writes, OpenAPI at /docs.
 */
export function configureHttpApp(app: INestApplication): void {
  const logger = app.get<Logger>(LOGGER);
  app.use(requestContextMiddleware(logger, app.get(PlatformMetrics)));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter(logger));
  app.useGlobalInterceptors(new ReadYourWritesInterceptor(app.get(Reflector), app.get(ConsistencyWaiter), app.get(PLATFORM_CONFIG)));
  const document = createApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
