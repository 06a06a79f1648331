import { Client } from 'pg';
import type { Lease } from './lease';

export type LeaseLog = (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;

/** What a lease worker runs for each name it holds the lease of. */
export interface LeasedRunner {
  /** Finishes the work in hand and stops; the worker then releases the lease. */
  stop(): Promise<void>;
}

export interface LeaseWorkerOptions {
  connectionString: string;
  /** First key of the advisory lock, one per kind of leased work; the name's hash is the second. */
  leaseClass: number;
  /** Shown in pg_stat_activity for the lease connection. */
  applicationName: string;
  /** How often the worker checks its leases and tries to take over names nobody holds. */
  leaseCheckMs?: number;
  log?: LeaseLog;
}

/**
 * The lease half of a worker that runs named, exclusive work (projections, process managers).
 * A lease is a session advisory lock `(leaseClass, hashtext(name))` on one dedicated connection:
 * exactly one process holds each, and when that process dies PostgreSQL releases its locks and
 * another worker takes the work over on its next check. When the lease connection itself drops,
 * every runner is stopped at once, since another process may already hold its lease.
 *
 * A subclass says what to install before the first check and what one check does (`check`),
 * using `tryLease`, `unlock` and `runners`.
 */
export abstract class LeaseWorker<R extends LeasedRunner> {
  protected readonly runners = new Map<string, R>();
  protected leasePid = 0;
  private leaseClient: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly lease: LeaseWorkerOptions) {}

  /** Names this process runs now. */
  get owned(): string[] {
    return [...this.runners.keys()];
  }

  async start(): Promise<void> {
    await this.install();
    await this.connectLease();
    await this.tick();
    this.timer = setInterval(() => {
      this.ticking = this.ticking
        .then(() => this.tick())
        .catch((error: Error) => this.lease.log?.('warn', `${this.lease.applicationName}: lease check failed`, { error: error.message }));
    }, this.lease.leaseCheckMs ?? 2000);
  }

  /** Lets every runner finish the work in hand, releases every lease, and closes the lease connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking.catch(() => undefined);
    await this.releaseAll(this.leaseClient);
    const client = this.leaseClient;
    this.leaseClient = null;
    await client?.end().catch(() => undefined);
  }

  /** Prepares what the runners need (tables, checkpoint rows) before the first check. */
  protected abstract install(): Promise<void>;

  /** One lease check: start runners for the names whose lease it gets, look after the running ones. */
  protected abstract check(): Promise<void>;

  /**
   * The lease of `name` when this process got (or already holds) it, else null; its runner fences
   * its writes with it (`updateOneUnderLease`).
   */
  protected async tryLease(name: string): Promise<Lease | null> {
    const result = await this.leaseClient!.query<{ key: number; taken: boolean }>(
      'select hashtext($1) as key, pg_try_advisory_lock($2, hashtext($1)) as taken',
      [name, this.lease.leaseClass],
    );
    const { key, taken } = result.rows[0];
    return taken ? { leaseClass: this.lease.leaseClass, key, pid: this.leasePid } : null;
  }

  protected async unlock(name: string): Promise<void> {
    if (this.leaseClient) await this.unlockOn(this.leaseClient, name);
  }

  private async unlockOn(client: Client, name: string): Promise<void> {
    await client.query('select pg_advisory_unlock($2, hashtext($1))', [name, this.lease.leaseClass]).catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (!this.leaseClient) await this.connectLease();
    await this.check();
  }

  private async connectLease(): Promise<void> {
    const client = new Client({ connectionString: this.lease.connectionString, application_name: this.lease.applicationName });
    client.on('error', () => undefined);
    client.on('end', () => {
      if (this.leaseClient !== client) return;
      // The leases died with the connection (nothing to unlock); another process may already run this work.
      this.leaseClient = null;
      void this.releaseAll(null);
    });
    await client.connect();
    this.leasePid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    this.leaseClient = client;
  }

  /**
   * Stops every runner, then unlocks their leases on `heldOn`, the connection that holds them
   * (null when it is gone, and the locks with it). Never on a connection made since: by the time
   * slow runners have stopped, a later check may have reconnected and taken a lease again, and
   * that lease must stay.
   */
  private async releaseAll(heldOn: Client | null): Promise<void> {
    const runners = [...this.runners.entries()];
    this.runners.clear();
    await Promise.all(runners.map(([, runner]) => runner.stop()));
    if (heldOn === null) return;
    for (const [name] of runners) await this.unlockOn(heldOn, name);
  }
}
