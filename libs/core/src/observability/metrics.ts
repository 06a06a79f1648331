import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ProcessManagerReport } from '../process-managers/process-manager-status';
import type { ProjectionReport } from '../projections/projection-status';

/**
 * The metrics of the product's other processes that this one's /metrics adds to its own (under
 * `npm start`, the worker's): each a `Registry.getMetricsAsJSON()`. Counters and histograms add up.
 */
export const PEER_METRICS = Symbol('PEER_METRICS');
export type PeerMetrics = () => Promise<readonly object[][]>;

/** The platform's Prometheus metrics, on a registry of its own (so tests can create several). */
export class PlatformMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: 'commands_total',
    help: 'Commands handled, by command type and outcome (ok, rejected, conflict, error)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: 'eventstore_append_duration_seconds',
    help: 'Latency of appends to the event store',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly eventsApplied = new Counter({
    name: 'projection_events_applied_total',
    help: 'Events applied by projections in this process',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  private readonly lagEvents = new Gauge({
    name: 'projection_lag_events',
    help: 'Events a projection handles that it has not processed yet (counted up to 10,000)',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  private readonly lagSeconds = new Gauge({
    name: 'projection_lag_seconds',
    help: 'How long the oldest event a projection has not processed has waited',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  private readonly halted = new Gauge({
    name: 'projection_halted',
    help: '1 when a projection is halted on an event it cannot apply',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  private readonly processManagerLagEvents = new Gauge({
    name: 'process_manager_lag_events',
    help: 'Events a process manager reacts to that it has not handled yet (counted up to 10,000)',
    labelNames: ['process_manager'] as const,
    registers: [this.registry],
  });

  private readonly processManagerLagSeconds = new Gauge({
    name: 'process_manager_lag_seconds',
    help: 'How long the oldest event a process manager has not handled has waited',
    labelNames: ['process_manager'] as const,
    registers: [this.registry],
  });

  private readonly processManagerAttempts = new Gauge({
    name: 'process_manager_failed_attempts',
    help: 'Failed attempts at the event a process manager is retrying (0 when it is not stuck on one)',
    labelNames: ['process_manager'] as const,
    registers: [this.registry],
  });

  private ledgerReconciliationSource?: () => Promise<number>;

  /**
   * Read at scrape time from the source the ledger sets (its last recorded reconciliation), so it
   * shows a reconciliation whichever process ran it; 0 in a process without the source, hence max
   * when processes' metrics are added up.
   */
  private readonly ledgerReconciliationDifferences = new Gauge({
    name: 'ledger_reconciliation_differences',
    help: 'Differences the last ledger reconciliation found between the balances and the postings (0 before the first)',
    aggregator: 'max',
    registers: [this.registry],
    collect: async () => {
      if (this.ledgerReconciliationSource) this.ledgerReconciliationDifferences.set(await this.ledgerReconciliationSource());
    },
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Fills the projection gauges; called right before each scrape. */
  recordProjections(reports: readonly ProjectionReport[]): void {
    for (const report of reports) {
      this.lagEvents.set({ projection: report.name }, report.lagEvents);
      this.lagSeconds.set({ projection: report.name }, report.lagSeconds);
      this.halted.set({ projection: report.name }, report.status === 'halted' ? 1 : 0);
    }
  }

  /** Where the ledger_reconciliation_differences gauge reads its value at each scrape. */
  measureLedgerReconciliation(source: () => Promise<number>): void {
    this.ledgerReconciliationSource = source;
  }

  /** Fills the process-manager gauges, beside the projections'; called right before each scrape. */
  recordProcessManagers(reports: readonly ProcessManagerReport[]): void {
    for (const report of reports) {
      const labels = { process_manager: report.name };
      this.processManagerLagEvents.set(labels, report.lagEvents);
      this.processManagerLagSeconds.set(labels, report.lagSeconds);
      this.processManagerAttempts.set(labels, report.attempts);
    }
  }
}
