import { Client } from 'pg';
import type { Knex } from 'knex';
import type { EventStore } from '@app/eventstore';
import { EventSchemaRegistry } from '../events/event-schemas';
import type { ProjectionDefinition } from './projection';
import { ProjectionRunner, type RunnerDependencies } from './projection-runner';
import { LEASE_CLASS, ProjectionStore } from './projection-store';

export interface ProjectionWorkerOptions {
  connectionString: string;
  store: EventStore;
  knex: Knex;
  projections: readonly ProjectionDefinition[];
  schemas?: EventSchemaRegistry;
  batchSize?: number;
  maxRetries?: number;
  retryDelayMs?: number;
  liveBatchMs?: number;
  /** How often the worker tries to take over unowned projections and picks up rebuilds and resumes. */
  leaseCheckMs?: number;
  log?: RunnerDependencies['log'];
  onApplied?: RunnerDependencies['onApplied'];
}

/**
 * Runs every projection this process can get the lease of. A lease is a session advisory lock
 * on a dedicated connection: when the process dies, PostgreSQL releases it and another worker
 * takes the projection over on its next check.
 */
export class ProjectionWorker {
  private leaseClient: Client | null = null;
  private leasePid = 0;
  private readonly runners = new Map<string, ProjectionRunner>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly projectionStore: ProjectionStore;

  constructor(private readonly options: ProjectionWorkerOptions) {
    this.projectionStore = new ProjectionStore(options.knex);
  }

  /** Names of the projections this process runs now. */
  get owned(): string[] {
    return [...this.runners.keys()];
  }

  async start(): Promise<void> {
    for (const definition of this.options.projections) await this.projectionStore.install(definition);
    await this.connectLease();
    await this.tick();
    this.timer = setInterval(() => {
      this.ticking = this.ticking.then(() => this.tick()).catch((error: Error) => this.options.log?.('warn', 'projection lease check failed', { error: error.message }));
    }, this.options.leaseCheckMs ?? 2000);
  }

  /** Finishes the batches in hand, releases every lease, and closes the lease connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking.catch(() => undefined);
    await this.releaseAll();
    const client = this.leaseClient;
    this.leaseClient = null;
    await client?.end().catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (!this.leaseClient) await this.connectLease();
    for (const definition of this.options.projections) {
      let runner = this.runners.get(definition.name);
      if (!runner) {
        const key = await this.tryLease(definition.name);
        if (key === null) continue;
        runner = new ProjectionRunner(definition, this.dependencies(key));
        this.runners.set(definition.name, runner);
        this.options.log?.('info', 'projection lease taken', { projection: definition.name, pid: this.leasePid });
      }
      await runner.reconcile();
    }
  }

  private dependencies(key: number): RunnerDependencies {
    return {
      store: this.options.store,
      knex: this.options.knex,
      projections: this.projectionStore,
      schemas: this.options.schemas ?? new EventSchemaRegistry(),
      batchSize: this.options.batchSize ?? 2000,
      maxRetries: this.options.maxRetries ?? 3,
      retryDelayMs: this.options.retryDelayMs,
      liveBatchMs: this.options.liveBatchMs,
      lease: { key, pid: this.leasePid },
      log: this.options.log,
      onApplied: this.options.onApplied,
    };
  }

  private async tryLease(name: string): Promise<number | null> {
    const result = await this.leaseClient!.query<{ key: number; taken: boolean }>(
      'select hashtext($1) as key, pg_try_advisory_lock($2, hashtext($1)) as taken',
      [name, LEASE_CLASS],
    );
    return result.rows[0].taken ? result.rows[0].key : null;
  }

  private async connectLease(): Promise<void> {
    const client = new Client({ connectionString: this.options.connectionString, application_name: 'projection-leases' });
    client.on('error', () => undefined);
    client.on('end', () => {
      if (this.leaseClient !== client) return;
      // The leases died with the connection; another process may already own these projections.
      this.leaseClient = null;
      void this.releaseAll();
    });
    await client.connect();
    this.leasePid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    this.leaseClient = client;
  }

  private async releaseAll(): Promise<void> {
    const runners = [...this.runners.entries()];
    this.runners.clear();
    await Promise.all(runners.map(([, runner]) => runner.stop()));
    const client = this.leaseClient;
    if (!client) return;
    for (const [name] of runners) {
      await client.query('select pg_advisory_unlock($2, hashtext($1))', [name, LEASE_CLASS]).catch(() => undefined);
    }
  }
}
