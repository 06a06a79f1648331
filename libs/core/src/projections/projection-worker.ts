import type { Knex } from 'knex';
import type { EventStore } from '@app/eventstore';
import { EventSchemaRegistry } from '../events/event-schemas';
import { LeaseWorker } from '../leases/lease-worker';
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
 * Runs every projection this process can get the lease of (see LeaseWorker): when the process
 * dies, PostgreSQL releases its leases and another worker takes the projections over on its next
 * check. Each check also lets the running projections pick up rebuilds and resumes.
 */
export class ProjectionWorker extends LeaseWorker<ProjectionRunner> {
  private readonly projectionStore: ProjectionStore;

  constructor(private readonly options: ProjectionWorkerOptions) {
    super({
      connectionString: options.connectionString,
      leaseClass: LEASE_CLASS,
      applicationName: 'projection-leases',
      leaseCheckMs: options.leaseCheckMs,
      log: options.log,
    });
    this.projectionStore = new ProjectionStore(options.knex);
  }

  protected async install(): Promise<void> {
    for (const definition of this.options.projections) await this.projectionStore.install(definition);
  }

  protected async check(): Promise<void> {
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
}
