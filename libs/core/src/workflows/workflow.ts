import { SetMetadata } from '@nestjs/common';
import type { DomainEvent } from '../domain/decider';
import type { Recorded } from '../projections/projection';

/** Stored in a workflow instance's timer stream by the timer poller when one of its timers is due. */
export const WORKFLOW_TIMER_FIRED = 'WorkflowTimerFired';
/** Stored in a workflow instance's timer stream once ever, at the first launch, for a workflow that `startsAtLaunch`. */
export const WORKFLOW_STARTED = 'WorkflowStarted';
/** A copy of an input event in the workflow's stream: the stream alone says what the workflow saw, in its order. */
export const WORKFLOW_INPUT_RECORDED = 'WorkflowInputRecorded';

/**
 * A timer the workflow scheduled came due. `data` is what it was scheduled with; `generation`
 * counts the times its id was scheduled (so a firing of a timer since moved is told apart);
 * `firedAt` is when the poller fired it.
 */
export type TimerFired<Id extends string = string, Data = unknown> = DomainEvent<
  typeof WORKFLOW_TIMER_FIRED,
  { workflow: string; instanceId: string; timerId: Id; generation: number; dueAt: string; data: Data; firedAt: string }
>;

/** The workflow instance runs from the platform's first launch (a schedule that no event begins). */
export type WorkflowStarted = DomainEvent<typeof WORKFLOW_STARTED, { workflow: string; instanceId: string; startedAt: string }>;

/** What a workflow's `evolve` and `decide` are given: its input events as recorded, its fired timers, its start. */
export type WorkflowEvent<Input extends DomainEvent = DomainEvent, Timer extends TimerFired = TimerFired> = Recorded<Input | Timer | WorkflowStarted>;

/** A deadline: at `at` (an ISO instant) the poller fires it; `data` comes back with the firing. One `id` is one timer per instance. */
export interface ScheduledTimer<Id extends string = string> {
  id: Id;
  at: string;
  data?: unknown;
}

/**
 * What a workflow does about one event: commands to send (through the command bus, in order),
 * timers to set (replacing a pending one of the same id) and timers to cancel. Commands must be
 * idempotent (derive their ids from the event): a redelivered event sends them again.
 */
export interface WorkflowDecision<Command = unknown> {
  commands?: readonly Command[];
  schedule?: readonly ScheduledTimer[];
  cancel?: readonly string[];
}

/**
 * A reaction that keeps state across events or waits for deadlines, written as three pure
 * functions over its own stream, like a decider: `decide` what to do about an event given the
 * state so far, then `evolve` the state with it. Its events are its inputs (other streams' events,
 * recorded in its stream), its fired timers and its start. Neither function reads the clock or
 * any store: every fact it needs is in the event (times included), so replaying the stream gives
 * back the same state and the same decisions.
 */
export interface Workflow<Input extends DomainEvent = DomainEvent, State = unknown, Command = unknown, Timer extends TimerFired = TimerFired> {
  initialState(): State;
  /** Returns `state` itself when the event changes nothing; such an event, deciding nothing, is not recorded. */
  evolve(state: State, event: WorkflowEvent<Input, Timer>): State;
  decide(event: WorkflowEvent<Input, Timer>, state: State): WorkflowDecision<Command>;
}

export interface WorkflowOptions<Input extends DomainEvent = DomainEvent> {
  /** Stable, kebab-case: its stream names, its timers, and the checkpoint and lease of the process manager it runs as. */
  name: string;
  /** The event types it takes in (besides its own timers and start); only those are read. */
  eventTypes: readonly Input['type'][];
  /** The instance an input belongs to (a reshuffle's id, an order's): one stream, one state and one order per instance. */
  keyOf?(event: Recorded<Input>): string;
  /** Runs one instance, of this id, from the first launch on (a daily schedule); the runtime records its `WorkflowStarted` once. */
  startsAtLaunch?: string;
  /** The event types its commands write, as for a process manager (read-your-writes reaches through it from these). */
  emits?: readonly string[];
}

export interface WorkflowDefinition extends WorkflowOptions {
  workflow: Workflow;
}

/**
 * A command that can stop between its steps (a close waiting for the accounts to catch up): the
 * runtime sends `withSignal(shutdown)` in its place, so stopping the worker stops it too.
 */
export interface StoppableCommand {
  withSignal(signal: AbortSignal): object;
}

export const WORKFLOW = Symbol('WORKFLOW');

/** Marks a provider as a workflow; the worker runs those its context lists in `workflows`. */
export function AsWorkflow<Input extends DomainEvent = DomainEvent>(options: WorkflowOptions<Input>): ClassDecorator {
  if (!/^[a-z][a-z0-9-]*$/.test(options.name)) throw new Error(`Workflow name "${options.name}" must be kebab-case`);
  if (options.eventTypes.length > 0 && !options.keyOf) throw new Error(`Workflow ${options.name} takes events in, so it needs keyOf`);
  if (options.eventTypes.length === 0 && !options.startsAtLaunch) throw new Error(`Workflow ${options.name} takes no event in and does not start at launch`);
  return SetMetadata(WORKFLOW, options);
}

/** What `@AsWorkflow` says of a class; throws for a class not marked. */
export function workflowOptionsOf(type: Function): WorkflowOptions {
  const options = Reflect.getMetadata(WORKFLOW, type) as WorkflowOptions | undefined;
  if (!options) throw new Error(`${type.name} is listed as a workflow but is not marked @AsWorkflow`);
  return options;
}

/**
 * A workflow as the process-manager runtime knows it: its name, every event type it reads (its
 * inputs, its timer firings and its start) and what it emits. For what lists process managers
 * (status, lag, read-your-writes), so a workflow shows there as the process manager it runs as.
 */
export function workflowProcessManagerOptions(options: WorkflowOptions): { name: string; eventTypes: readonly string[]; emits?: readonly string[] } {
  return { name: options.name, eventTypes: [...options.eventTypes, WORKFLOW_TIMER_FIRED, WORKFLOW_STARTED], emits: options.emits };
}

/** The stream of one workflow instance: everything it was given, in the order it took it. */
export function workflowStream(workflow: string, instanceId: string): string {
  return `workflow-${workflow}-${instanceId}`;
}

/**
 * Where the runtime writes an instance's timer firings and start. They reach the workflow through
 * the log like its other inputs, so it takes them in log order: an input recorded before a timer
 * fired is taken before the firing, however far behind the workflow is.
 */
export function workflowTimerStream(workflow: string, instanceId: string): string {
  return `workflow-timers-${workflow}-${instanceId}`;
}

/** A timer as it is pending, its `at` normalised to an ISO instant; `generation` is how many times its id was scheduled. */
export interface PendingTimer {
  id: string;
  at: string;
  data: unknown;
  generation: number;
}

/** A workflow's state after some of its events, with the timers then pending. */
export interface WorkflowFold<State = unknown> {
  state: State;
  timers: ReadonlyMap<string, PendingTimer>;
  /** How many times each timer id was scheduled so far. */
  generations: ReadonlyMap<string, number>;
}

export function initialFold<State>(workflow: Pick<Workflow<DomainEvent, State>, 'initialState'>): WorkflowFold<State> {
  return { state: workflow.initialState(), timers: new Map(), generations: new Map() };
}

/**
 * One event of a workflow: its decision on the state so far, and the state and timers after it.
 * A fired timer that was cancelled or scheduled again before it fired (in the stream's order) is
 * stale: as if it never fired, it is neither decided nor evolved (the decision is null). Which
 * firing is current is told by the timer's generation, not its time, so a time derived from a
 * setting that changed since (a day end) does not make the firings before the change stale. The
 * runtime and the spec helper both fold with this, so a spec sees what the worker would do.
 */
export function stepWorkflow<Input extends DomainEvent, State, Command>(
  workflow: Workflow<Input, State, Command>,
  fold: WorkflowFold<State>,
  event: WorkflowEvent<Input>,
): { fold: WorkflowFold<State>; decision: WorkflowDecision<Command> | null } {
  const timers = new Map(fold.timers);
  if (event.type === WORKFLOW_TIMER_FIRED) {
    const { timerId, generation } = (event as Recorded<TimerFired>).data;
    if (timers.get(timerId)?.generation !== generation) return { fold, decision: null };
    timers.delete(timerId);
  }
  const decision = workflow.decide(event, fold.state);
  const generations = new Map(fold.generations);
  for (const id of decision.cancel ?? []) timers.delete(id);
  for (const timer of decision.schedule ?? []) {
    const generation = (generations.get(timer.id) ?? 0) + 1;
    generations.set(timer.id, generation);
    timers.set(timer.id, { id: timer.id, at: isoInstant(timer.at, timer.id), data: timer.data ?? null, generation });
  }
  return { fold: { state: workflow.evolve(fold.state, event), timers, generations }, decision };
}

/** Nothing to send, set or cancel. */
export function decidesNothing(decision: WorkflowDecision | null): boolean {
  return !decision || ((decision.commands?.length ?? 0) === 0 && (decision.schedule?.length ?? 0) === 0 && (decision.cancel?.length ?? 0) === 0);
}

function isoInstant(at: string, timerId: string): string {
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw new Error(`Timer ${timerId} is set for "${at}", which is not an instant`);
  return instant.toISOString();
}
