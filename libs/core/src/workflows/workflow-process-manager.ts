import { type EventData, type EventMetadata, type EventStore, type RecordedEvent, WrongExpectedVersionError } from '@app/eventstore';
import { currentContext, newContext, runWithContext } from '../context/request-context';
import { ConcurrencyConflictError, DomainError } from '../errors/domain-error';
import { EventSchemaRegistry } from '../events/event-schemas';
import { deterministicId } from '../ids/deterministic-id';
import type { LeaseLog } from '../leases/lease-worker';
import type { ProcessManager, ProcessManagerDefinition } from '../process-managers/process-manager';
import {
  decidesNothing,
  initialFold,
  type StoppableCommand,
  stepWorkflow,
  WORKFLOW_INPUT_RECORDED,
  WORKFLOW_STARTED,
  WORKFLOW_TIMER_FIRED,
  type WorkflowDecision,
  type WorkflowDefinition,
  type WorkflowEvent,
  type WorkflowFold,
  workflowProcessManagerOptions,
  workflowStream,
  workflowTimerStream,
} from './workflow';
import type { WorkflowTimerStore } from './workflow-timers';

/** An input event as its workflow's stream keeps it. */
export interface RecordedInput {
  workflow: string;
  instanceId: string;
  input: { id: string; type: string; data: unknown; metadata: EventMetadata; streamName: string; revision: string; position: string; recordedAt: string };
}

export interface WorkflowRuntimeDependencies {
  store: EventStore;
  timers: WorkflowTimerStore;
  schemas?: EventSchemaRegistry;
  /** Sends one command (the command bus's `execute`). */
  dispatch(command: unknown): Promise<unknown>;
  /** Aborted when the worker stops: a `StoppableCommand` in flight stops at its next step. */
  signal: AbortSignal;
  /** Told the earliest time of the timers an instance now has, so the poller can wake for it. */
  onTimers?(earliest: Date): void;
  log?: LeaseLog;
}

/** Times a handler re-reads its stream after losing the race for it (to another process, during a take-over). */
const MAX_ATTEMPTS = 5;
const READ_PAGE = 1000;
/** Instances of one batch whose commands are sent at once. */
const BATCH_CONCURRENCY = 16;

/** What one instance does about its events of a batch: what to record in its stream, what to send, its timers after. */
interface InstancePlan {
  instanceId: string;
  stream: string;
  revision: bigint | null;
  records: EventData[];
  sends: { event: RecordedEvent; commands: readonly unknown[] }[];
  fold: WorkflowFold;
}

/**
 * A workflow run as a process manager, so it has the process-manager runtime's batches, lease,
 * checkpoint, retries and per-key order (`keyOf` is the instance). Its timer firings and start
 * come to it through the log like its inputs, so it takes everything of an instance in log order.
 * For each event:
 *
 * 1. it reads the instance's stream and folds it (`stepWorkflow`);
 * 2. an event not yet in the stream is decided on that state and recorded there
 *    (`WorkflowInputRecorded`, with an id derived from the event), at the revision read. An event
 *    that decides nothing and changes nothing (a timer cancelled before it fired) is not recorded;
 * 3. it sends the decision's commands through the bus, one after another;
 * 4. it makes the timer table what the whole stream says is pending.
 *
 * Redelivered (a crash after step 2), an event is found in the stream and decided again on the
 * state before it: the same decision, since `decide` is pure, so the same (idempotent) commands.
 * A command refused for a broken rule (a 4xx domain error, not a conflict) is the workflow's
 * outcome, logged, not retried; any other failure is retried by the runtime.
 */
export class WorkflowProcessManager implements ProcessManager {
  private readonly schemas: EventSchemaRegistry;

  constructor(
    private readonly definition: WorkflowDefinition,
    private readonly deps: WorkflowRuntimeDependencies,
  ) {
    this.schemas = deps.schemas ?? new EventSchemaRegistry();
  }

  /** The process-manager definition the runtime runs: its inputs, its own timer firings and start. */
  asProcessManager(): ProcessManagerDefinition {
    return {
      ...workflowProcessManagerOptions(this.definition),
      keyOf: (event) => (isOwnEvent(event) ? ownData(event).instanceId : this.instanceOf(event)),
      handler: this,
    };
  }

  /**
   * A batch of events at once, with the same effect as `handle` on each in turn: the instances'
   * streams are read in one `readStreams`, each instance's new inputs recorded in one append (the
   * instances' appends concurrently), the commands sent (an instance's in order, each in the
   * context of the event that decided it; instances concurrently), and the timer table brought to
   * what every instance's stream says in one transaction. A conflict on an instance's stream (a
   * take-over) reads and plans the batch again; what was recorded is found and not recorded twice.
   */
  async handleAll(events: readonly RecordedEvent[]): Promise<void> {
    const { name } = this.definition;
    const byInstance = new Map<string, RecordedEvent[]>();
    for (const event of events) {
      const own = isOwnEvent(event);
      if (own && ownData(event).workflow !== name) continue;
      const instanceId = own ? ownData(event).instanceId : this.instanceOf(event);
      const inputs = byInstance.get(instanceId);
      if (inputs) inputs.push(event);
      else byInstance.set(instanceId, [event]);
    }
    if (byInstance.size === 0) return;
    let plans: InstancePlan[];
    for (let attempt = 1; ; attempt++) {
      const instances = [...byInstance.keys()];
      const histories = await this.readMany(instances.map((id) => workflowStream(name, id)));
      plans = instances.map((id, i) => this.plan(id, byInstance.get(id)!, histories[i]));
      const appended = await Promise.allSettled(
        plans
          .filter((plan) => plan.records.length > 0)
          .map((plan) => this.deps.store.appendToStream(plan.stream, plan.records, { expectedRevision: plan.revision === null ? 'no_stream' : plan.revision })),
      );
      const failed = appended.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (!failed) break;
      if (!(failed.reason instanceof WrongExpectedVersionError) || attempt >= MAX_ATTEMPTS) throw failed.reason;
    }
    const queue = [...plans];
    const lane = async () => {
      for (let plan = queue.shift(); plan; plan = queue.shift()) {
        for (const { event, commands } of plan.sends) await runWithContext(this.contextOf(event), () => this.send(commands, event));
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, queue.length) }, lane));
    await this.deps.timers.syncMany(
      name,
      plans.map((plan) => ({ instanceId: plan.instanceId, streamName: workflowTimerStream(name, plan.instanceId), pending: [...plan.fold.timers.values()] })),
    );
    const earliest = plans.flatMap((plan) => [...plan.fold.timers.values()].map((timer) => timer.at)).sort()[0];
    if (earliest) this.deps.onTimers?.(new Date(earliest));
  }

  /** One instance's part of a batch: its history folded, then each of its events decided on the state so far (or found recorded). */
  private plan(instanceId: string, inputs: readonly RecordedEvent[], history: readonly RecordedEvent[]): InstancePlan {
    const { name, workflow } = this.definition;
    const recordedDecisions = new Map<string, WorkflowDecision | null>();
    let fold = initialFold(workflow);
    for (const stored of history) {
      const step = stepWorkflow(workflow, fold, this.messageOf(stored));
      recordedDecisions.set(stored.id, step.decision);
      fold = step.fold;
    }
    const plan: InstancePlan = { instanceId, stream: workflowStream(name, instanceId), revision: history.at(-1)?.revision ?? null, records: [], sends: [], fold };
    for (const event of inputs) {
      const recordId = inputRecordId(name, event.id);
      if (recordedDecisions.has(recordId)) {
        plan.sends.push({ event, commands: recordedDecisions.get(recordId)?.commands ?? [] });
        continue;
      }
      const step = stepWorkflow(workflow, plan.fold, event as WorkflowEvent);
      if (decidesNothing(step.decision) && step.fold.state === plan.fold.state) continue;
      recordedDecisions.set(recordId, step.decision);
      plan.records.push(this.inputRecord(instanceId, event, recordId));
      plan.sends.push({ event, commands: step.decision?.commands ?? [] });
      plan.fold = step.fold;
    }
    return plan;
  }

  /** The context a command decided by `event` runs in: caused by it, its writes counted with the batch's. */
  private contextOf(event: RecordedEvent) {
    const batch = currentContext();
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return newContext({
      correlationId: text(event.metadata.correlationId),
      causationId: event.id,
      userId: text(event.metadata.userId),
      traceKey: text(event.metadata.traceKey),
      writes: batch?.writes,
      reaction: batch?.reaction,
      deliveredUpTo: batch?.deliveredUpTo,
    });
  }

  /** Several instances' streams, read in one round trip (each longer than a page read on). */
  private async readMany(streams: readonly string[]): Promise<RecordedEvent[][]> {
    const pages = await this.deps.store.readStreams(streams.map((streamName) => ({ streamName, fromRevision: 'start', maxCount: READ_PAGE })));
    return Promise.all(pages.map((page, i) => (page.length < READ_PAGE ? page : this.read(streams[i]))));
  }

  async handle(event: RecordedEvent): Promise<void> {
    const { name } = this.definition;
    const own = isOwnEvent(event);
    // Every workflow is told every timer firing and start; each takes only its own.
    if (own && ownData(event).workflow !== name) return;
    const instanceId = own ? ownData(event).instanceId : this.instanceOf(event);
    const stream = workflowStream(name, instanceId);
    const recordId = inputRecordId(name, event.id);
    for (let attempt = 1; ; attempt++) {
      const history = await this.read(stream);
      let fold = initialFold(this.definition.workflow);
      let decision: WorkflowDecision | null | undefined;
      for (const stored of history) {
        const step = stepWorkflow(this.definition.workflow, fold, this.messageOf(stored));
        if (stored.id === recordId) decision = step.decision;
        fold = step.fold;
      }
      if (decision === undefined) {
        const step = stepWorkflow(this.definition.workflow, fold, event as WorkflowEvent);
        // Nothing to do and nothing learnt: not worth a write. A stale firing's row goes, though.
        if (decidesNothing(step.decision) && step.fold.state === fold.state) {
          if (own) await this.setTimers(instanceId, fold);
          return;
        }
        try {
          await this.record(stream, instanceId, event, recordId, history.at(-1)?.revision ?? null);
        } catch (error) {
          if (error instanceof WrongExpectedVersionError && attempt < MAX_ATTEMPTS) continue;
          throw error;
        }
        decision = step.decision;
        fold = step.fold;
      }
      await this.send(decision?.commands ?? [], event);
      await this.setTimers(instanceId, fold);
      return;
    }
  }

  private instanceOf(event: RecordedEvent): string {
    const { keyOf, name } = this.definition;
    if (!keyOf) throw new Error(`Workflow ${name} has no keyOf for ${event.type}`);
    return keyOf(event as never);
  }

  private async read(stream: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (;;) {
      const page = await this.deps.store.readStream(stream, { fromRevision: events.length === 0 ? 'start' : events[events.length - 1].revision + 1n, maxCount: READ_PAGE });
      events.push(...page);
      if (page.length < READ_PAGE) return events;
    }
  }

  /** What the workflow was given, from its copy in the workflow's stream. */
  private messageOf(stored: RecordedEvent): WorkflowEvent {
    if (stored.type !== WORKFLOW_INPUT_RECORDED) throw new Error(`${stored.streamName} holds a ${stored.type}, which no workflow writes`);
    const { input } = stored.data as RecordedInput;
    const recorded: RecordedEvent = { ...input, revision: BigInt(input.revision), recordedAt: new Date(input.recordedAt) };
    return this.schemas.upcast(recorded) as WorkflowEvent;
  }

  private async record(stream: string, instanceId: string, input: RecordedEvent, id: string, revision: bigint | null): Promise<void> {
    await this.deps.store.appendToStream(stream, [this.inputRecord(instanceId, input, id)], { expectedRevision: revision === null ? 'no_stream' : revision });
  }

  /** An input's copy for the instance's stream (`WorkflowInputRecorded`), with the id derived from it. */
  private inputRecord(instanceId: string, input: RecordedEvent, id: string): EventData {
    const { id: inputId, type, data, metadata, streamName, position } = input;
    const recorded: RecordedInput = {
      workflow: this.definition.name,
      instanceId,
      input: { id: inputId, type, data, metadata, streamName, revision: input.revision.toString(), position, recordedAt: input.recordedAt.toISOString() },
    };
    const context = currentContext();
    const base: EventMetadata = { correlationId: context?.correlationId, causationId: inputId, userId: context?.userId, traceKey: context?.traceKey };
    const stamped = this.schemas.stamp(WORKFLOW_INPUT_RECORDED, Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)));
    return { id, type: WORKFLOW_INPUT_RECORDED, data: recorded, metadata: stamped };
  }

  private async send(commands: readonly unknown[], event: RecordedEvent): Promise<void> {
    for (const command of commands) {
      this.deps.signal.throwIfAborted();
      const sent = isStoppable(command) ? command.withSignal(this.deps.signal) : command;
      try {
        await this.deps.dispatch(sent);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        this.deps.log?.('warn', 'a command of a workflow was refused', {
          workflow: this.definition.name,
          eventId: event.id,
          eventType: event.type,
          command: (command as object).constructor?.name,
          code: error.code,
          error: error.message,
        });
      }
    }
  }

  private async setTimers(instanceId: string, fold: WorkflowFold): Promise<void> {
    const pending = [...fold.timers.values()];
    await this.deps.timers.sync(this.definition.name, instanceId, workflowTimerStream(this.definition.name, instanceId), pending);
    if (pending.length > 0) this.deps.onTimers?.(new Date(pending.map((timer) => timer.at).sort()[0]));
  }
}

/** The id of an input's copy in a workflow's stream: one per input and workflow, however often it is delivered. */
export function inputRecordId(workflow: string, inputId: string): string {
  return deterministicId('workflow-input', workflow, inputId);
}

function isOwnEvent(event: RecordedEvent): boolean {
  return event.type === WORKFLOW_TIMER_FIRED || event.type === WORKFLOW_STARTED;
}

function ownData(event: RecordedEvent): { workflow: string; instanceId: string } {
  return event.data as { workflow: string; instanceId: string };
}

function isStoppable(command: unknown): command is StoppableCommand {
  return typeof (command as Partial<StoppableCommand> | null)?.withSignal === 'function';
}

/** A broken rule: sending the command again would be refused again. A conflict or a 429/5xx may pass later. */
function isRefusal(error: unknown): error is DomainError {
  return error instanceof DomainError && error.status < 500 && error.status !== 429 && !(error instanceof ConcurrencyConflictError);
}
