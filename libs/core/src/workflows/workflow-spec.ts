import type { RecordedEvent } from '@app/eventstore';
import type { DomainEvent } from '../domain/decider';
import {
  initialFold,
  stepWorkflow,
  type TimerFired,
  WORKFLOW_STARTED,
  WORKFLOW_TIMER_FIRED,
  type Workflow,
  type WorkflowDecision,
  type WorkflowEvent,
  type WorkflowFold,
  type WorkflowStarted,
} from './workflow';

/** Where and when an event of a spec is recorded, when the workflow reads it (a position, a stream). */
export type RecordedAs = Partial<Pick<RecordedEvent, 'id' | 'streamName' | 'position' | 'revision' | 'recordedAt' | 'metadata'>>;

/** An event of a spec: a plain `{ type, data }`, or one `recorded(...)` with the place a workflow reads from it. */
type SpecEvent<E extends DomainEvent> = E | (E & RecordedAs);

let counter = 0;

/** An event as the log would hand it over, with made-up ids and positions unless given. */
export function recorded<E extends DomainEvent>(event: E, as: RecordedAs = {}): WorkflowEvent<E> {
  counter += 1;
  const n = counter.toString().padStart(16, '0');
  return {
    id: `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`,
    streamName: 'spec',
    revision: BigInt(counter),
    position: `${n}-0000000000000000`,
    recordedAt: new Date(0),
    metadata: {},
    ...(event as RecordedAs),
    ...as,
    type: event.type,
    data: event.data,
  } as unknown as WorkflowEvent<E>;
}

/**
 * The firing of timer `timerId` set for `dueAt` (with `data`), as a spec event: the firing of the
 * timer's latest schedule unless `generation` (1 for its first) says otherwise.
 */
export function timerFired<Id extends string>(
  timerId: Id,
  dueAt: string,
  { data = null, generation, firedAt = dueAt }: { data?: unknown; generation?: number; firedAt?: string } = {},
): TimerFired<Id> {
  return { type: WORKFLOW_TIMER_FIRED, data: { workflow: 'spec', instanceId: 'spec', timerId, generation: generation ?? LATEST, dueAt: new Date(dueAt).toISOString(), data, firedAt } };
}

/** A spec firing's generation until the fold says which one is the latest. */
const LATEST = -1;

/** A spec firing without a generation is the firing of the timer's latest schedule in the fold. */
function withGeneration<State>(event: DomainEvent, fold: WorkflowFold<State>): DomainEvent {
  if (event.type !== WORKFLOW_TIMER_FIRED) return event;
  const fired = event as TimerFired;
  if (fired.data.generation !== LATEST) return event;
  return { ...fired, data: { ...fired.data, generation: fold.generations.get(fired.data.timerId) ?? 0 } };
}

/** The start at launch of a workflow that `startsAtLaunch`, as a spec event. */
export function workflowStarted(startedAt: string): WorkflowStarted {
  return { type: WORKFLOW_STARTED, data: { workflow: 'spec', instanceId: 'spec', startedAt } };
}

/**
 * Workflow specs that read like decider specs, folded exactly as the runtime folds a stream
 * (a fired timer that was cancelled or moved meanwhile is ignored):
 *   workflowSpec(resumer).given([started]).when(timerFired('abandoned', at)).then({ commands: [carryOut] })
 *   workflowSpec(resumer).given([started, finished]).when(timerFired('abandoned', at)).thenNothing()
 */
export function workflowSpec<Input extends DomainEvent, State, Command>(workflow: Workflow<Input, State, Command>) {
  return {
    given(events: ReadonlyArray<SpecEvent<Input> | TimerFired | WorkflowStarted>) {
      const fold = events.reduce<WorkflowFold<State>>(
        (f, event) => stepWorkflow(workflow, f, recorded(withGeneration(event as DomainEvent, f)) as WorkflowEvent<Input>).fold,
        initialFold(workflow),
      );
      return {
        when(event: SpecEvent<Input> | TimerFired | WorkflowStarted) {
          const step = () => stepWorkflow(workflow, fold, recorded(withGeneration(event as DomainEvent, fold)) as WorkflowEvent<Input>);
          return {
            /** The decision, with absent parts as empty lists; timers' times as ISO instants. */
            then(expected: WorkflowDecision<Command>): void {
              expect(normalise(step().decision)).toEqual(normalise(expected));
            },
            /** It decides nothing (a stale timer, or an event it has no use for). */
            thenNothing(): void {
              expect(normalise(step().decision)).toEqual(normalise({}));
            },
            /** The state after the event. */
            thenState(expected: State): void {
              expect(step().fold.state).toEqual(expected);
            },
            /** The timers pending after the event, by id, with their times. */
            thenTimers(expected: Record<string, string>): void {
              expect(Object.fromEntries([...step().fold.timers.values()].map((timer) => [timer.id, timer.at]))).toEqual(
                Object.fromEntries(Object.entries(expected).map(([id, at]) => [id, new Date(at).toISOString()])),
              );
            },
            thenThrows(error: new (...args: any[]) => Error): void {
              expect(step).toThrow(error);
            },
          };
        },
      };
    },
  };
}

function normalise<Command>(decision: WorkflowDecision<Command> | null) {
  return {
    commands: decision?.commands ?? [],
    schedule: (decision?.schedule ?? []).map((timer) => ({ id: timer.id, at: new Date(timer.at).toISOString(), data: timer.data ?? null })),
    cancel: decision?.cancel ?? [],
  };
}
