import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers, Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { AggregatorRegistry } from 'prom-client';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Logger } from 'pino';
import {
  defineError,
  LOGGER,
  NotFoundError,
  PLATFORM_CONFIG,
  type PlatformConfig,
  PEER_METRICS,
  type PeerMetrics,
  PlatformMetrics,
  ProcessManagerStatusReader,
  ProjectionStatusReader,
  readOrCreateSecret,
  UNAUTHENTICATED,
} from '@app/core';

class MetricsUnauthenticated extends defineError(UNAUTHENTICATED) {
  override readonly name = 'MetricsUnauthenticated';

  constructor() {
    super('Send the metrics token: Authorization: Bearer <METRICS_TOKEN>');
  }
}

/**
 * The Prometheus text; projections' and process managers' lag and retries are measured at scrape
 * time. Under `npm start` the worker's own counters (events applied, the commands its reactions
 * ran, its appends) come from its process and are added in.
 */
@Injectable()
export class MetricsScrape {
  constructor(
    private readonly metrics: PlatformMetrics,
    private readonly projections: ProjectionStatusReader,
    private readonly processManagers: ProcessManagerStatusReader,
    @Optional() @Inject(PEER_METRICS) private readonly peers?: PeerMetrics,
  ) {}

  async text(): Promise<string> {
    this.metrics.recordProjections(await this.projections.report());
    this.metrics.recordProcessManagers(await this.processManagers.report());
    const peers = this.peers ? await this.peers() : [];
    if (peers.length === 0) return this.metrics.registry.metrics();
    return AggregatorRegistry.aggregate([await this.metrics.registry.getMetricsAsJSON(), ...peers]).metrics();
  }
}

/**
 * `/metrics` on the api port, behind a bearer token: METRICS_TOKEN, or one generated into
 * `.data/metrics-token`. With METRICS_PORT it is served there instead, without a token, and the
 * api port answers 404.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly token: Buffer;

  constructor(
    private readonly scrape: MetricsScrape,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    this.token = Buffer.from(config.metricsToken ?? readOrCreateSecret(join(config.dataDir, 'metrics-token')));
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async get(@Headers('authorization') authorization: string | undefined): Promise<string> {
    if (this.config.metricsPort !== undefined) throw new NotFoundError('Route', 'GET /metrics (served on METRICS_PORT)');
    const given = Buffer.from(/^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '');
    if (given.length !== this.token.length || !timingSafeEqual(given, this.token)) throw new MetricsUnauthenticated();
    return this.scrape.text();
  }
}

/** With METRICS_PORT, a plain HTTP listener of its own for the scraper: `/metrics` and nothing else. */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | undefined;

  constructor(
    private readonly scrape: MetricsScrape,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metricsPort;
    if (port === undefined) return;
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      this.scrape.text().then(
        (text) => response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text),
        (error: Error) => {
          this.logger.warn({ error: error.message }, 'metrics scrape failed');
          response.writeHead(503).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, this.config.host, () => resolve()));
    this.server = server;
    const { address, port: bound } = server.address() as { address: string; port: number };
    this.logger.info({ address, port: bound }, 'metrics listening');
  }

  /** The port the listener took (useful with METRICS_PORT=0). */
  port(): number | undefined {
    return (this.server?.address() as { port: number } | null)?.port;
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }
}
