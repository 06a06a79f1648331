import type { Knex } from 'knex';
import type { EventStore, Position } from '@app/eventstore';
import { EventSchemaRegistry } from '../events/event-schemas';
import { deterministicId } from '../ids/deterministic-id';
import type { LeaseLog } from '../leases/lease-worker';
import { ProcessManagerStore } from '../process-managers/process-manager-store';
import { ProcessManagerWorker } from '../process-managers/process-manager-worker';
import type { Clock } from '../time/clock';
import { WORKFLOW_STARTED, type WorkflowDefinition, workflowProcessManagerOptions, type WorkflowStarted, workflowTimerStream } from './workflow';
import { WorkflowProcessManager } from './workflow-process-manager';
import { type FiredTimer, WorkflowTimerStore } from './workflow-timers';

export interface WorkflowRuntimeOptions {
  connectionString: string;
  store: EventStore;
  knex: Knex;
  workflows: readonly WorkflowDefinition[];
  /** Sends a workflow's command (the command bus's `execute`). */
  dispatch(command: unknown): Promise<unknown>;
  clock: Clock;
  schemas?: EventSchemaRegistry;
  /** How often the poller looks for due timers (it also wakes for a timer set sooner); default 1000. */
  timerPollMs?: number;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  concurrency?: number;
  leaseCheckMs?: number;
  idleCheckpointMs?: number;
  log?: LeaseLog;
}

/**
 * The worker's workflows: each runs as a process manager (`WorkflowProcessManager`) under its
 * lease, and a poller fires their due timers into their streams. Any number of workers may run
 * it: one of them runs each workflow, and every poller fires due timers, never the same one twice
 * at once (row locks), and harmlessly again after a crash (the firing's event id is fixed).
 */
export class WorkflowRuntime {
  readonly timers: WorkflowTimerStore;
  private readonly checkpoints: ProcessManagerStore;
  private readonly worker: ProcessManagerWorker;
  private readonly stopping = new AbortController();
  private poll: NodeJS.Timeout | null = null;
  private polling: Promise<unknown> = Promise.resolve();
  private nextPollAt = Infinity;

  constructor(private readonly options: WorkflowRuntimeOptions) {
    const names = options.workflows.map((workflow) => workflow.name);
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice) throw new Error(`Two workflows are named ${twice}`);
    this.timers = new WorkflowTimerStore(options.knex, options.store);
    this.checkpoints = new ProcessManagerStore(options.knex);
    const dependencies = {
      store: options.store,
      timers: this.timers,
      schemas: options.schemas,
      dispatch: options.dispatch,
      signal: this.stopping.signal,
      onTimers: (earliest: Date) => this.wakeAt(earliest),
      log: options.log,
    };
    this.worker = new ProcessManagerWorker({
      connectionString: options.connectionString,
      store: options.store,
      knex: options.knex,
      processManagers: options.workflows.map((workflow) => new WorkflowProcessManager(workflow, dependencies).asProcessManager()),
      schemas: options.schemas,
      retryDelayMs: options.retryDelayMs,
      maxRetryDelayMs: options.maxRetryDelayMs,
      concurrency: options.concurrency,
      leaseCheckMs: options.leaseCheckMs,
      idleCheckpointMs: options.idleCheckpointMs,
      log: options.log,
    });
  }

  get names(): string[] {
    return this.options.workflows.map((workflow) => workflow.name);
  }

  /** Records the start of the workflows that start at launch (once ever), then runs the workflows and the poller. */
  async start(): Promise<void> {
    if (this.options.workflows.length === 0) return;
    for (const workflow of this.options.workflows) if (workflow.startsAtLaunch) await this.recordStart(workflow.name, workflow.startsAtLaunch);
    await this.worker.start();
    this.schedulePoll(0);
  }

  /**
   * Stops the poller, stops the commands in flight that can stop (`StoppableCommand`), and lets
   * each workflow finish the event in hand and release its lease. What was not finished is
   * handled again by whoever runs the workflow next.
   */
  async stop(): Promise<void> {
    if (this.poll) clearTimeout(this.poll);
    this.poll = null;
    this.nextPollAt = -Infinity;
    this.stopping.abort(new Error('The worker is stopping'));
    await this.polling.catch(() => undefined);
    await this.worker.stop();
  }

  /** Fires the timers due at `now` (the clock's time by default), as the poller does. */
  async fireDue(now: Date = this.options.clock.now()): Promise<FiredTimer[]> {
    const fired: FiredTimer[] = [];
    for (;;) {
      const batch = await this.timers.fireDue(now);
      fired.push(...batch);
      if (batch.length < 100) return fired;
    }
  }

  /**
   * Runs the workflows to rest as of `now`: waits until each has handled the log up to its head,
   * fires what is then due, and again until nothing more is due; resolves to every timer fired.
   * For tests and operators: what the worker does on its own, at once.
   */
  async runDue(now: Date = this.options.clock.now(), timeoutMs = 30_000): Promise<FiredTimer[]> {
    const fired: FiredTimer[] = [];
    for (;;) {
      const head = await this.caughtUp(timeoutMs);
      const batch = await this.fireDue(now);
      fired.push(...batch);
      if (batch.length > 0) continue;
      // Due timers it skipped are being fired by a poller this moment: their firings are coming.
      if (await this.timers.anyDue(now)) await new Promise((resolve) => setTimeout(resolve, 20));
      // Quiet when nothing is left to fire and nothing was written meanwhile (a poller's firing, a close).
      else if ((await this.options.store.headPosition()) === head) return fired;
    }
  }

  /** Resolves once every workflow has handled the log up to its head as of now. */
  async caughtUp(timeoutMs = 30_000): Promise<Position | null> {
    const head = await this.options.store.headPosition();
    if (head === null) return null;
    for (const workflow of this.options.workflows) {
      const { name, eventTypes } = workflowProcessManagerOptions(workflow);
      await this.checkpoints.waitFor(name, head, timeoutMs, this.stopping.signal, { idle: { log: this.options.store, eventTypes } });
    }
    return head;
  }

  private async recordStart(workflow: string, instanceId: string): Promise<void> {
    const started: WorkflowStarted = { type: WORKFLOW_STARTED, data: { workflow, instanceId, startedAt: this.options.clock.now().toISOString() } };
    // Its id is fixed: every later launch finds it there and writes nothing.
    await this.options.store.appendToStream(
      workflowTimerStream(workflow, instanceId),
      [{ id: deterministicId('workflow-started', workflow, instanceId), type: started.type, data: started.data, metadata: { schemaVersion: 1 } }],
      { expectedRevision: 'any' },
    );
  }

  /** A timer was set for `at`: the poller looks then, unless it is going to look sooner anyway. */
  private wakeAt(at: Date): void {
    const delay = Math.max(0, at.getTime() - this.options.clock.now().getTime());
    if (this.poll && Date.now() + delay < this.nextPollAt) this.schedulePoll(delay);
  }

  private schedulePoll(delayMs: number): void {
    if (this.stopping.signal.aborted) return;
    if (this.poll) clearTimeout(this.poll);
    const every = this.options.timerPollMs ?? 1000;
    const delay = Math.min(delayMs, every);
    this.nextPollAt = Date.now() + delay;
    this.poll = setTimeout(() => {
      this.polling = this.polling
        .then(() => this.fireDue())
        .catch((error: Error) => this.options.log?.('warn', 'firing due workflow timers failed; trying again', { error: error.message }))
        .finally(() => this.schedulePoll(every));
    }, delay);
    this.poll.unref();
  }
}
