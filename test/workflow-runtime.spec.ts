import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  createKnex,
  currentContext,
  type DomainEvent,
  ProcessManagerStore,
  timerFiredId,
  WORKFLOW_TIMER_FIRED,
  type Workflow,
  type WorkflowDefinition,
  type WorkflowEvent,
  WorkflowRuntime,
  type RecordedInput,
  workflowStream,
  WorkflowTimerStore,
  workflowTimerStream,
} from '@app/core';
import { PostgresEventStore } from '@app/eventstore';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventually } from './support/wait';

/** A seat hold, the way ticketing will have one: placed, then confirmed or expired at its deadline. */
type HoldPlaced = DomainEvent<'HoldPlaced', { holdId: string; expiresAt: string }>;
type HoldConfirmed = DomainEvent<'HoldConfirmed', { holdId: string }>;
type HoldEvent = HoldPlaced | HoldConfirmed;
type ExpireHold = { type: 'ExpireHold'; holdId: string };
type HoldState = { holdId: string | null; status: 'none' | 'held' | 'confirmed' | 'expired' };

const holdExpiry: Workflow<HoldEvent, HoldState, ExpireHold> = {
  initialState: () => ({ holdId: null, status: 'none' }),
  decide(event, state) {
    switch (event.type) {
      case 'HoldPlaced':
        return { schedule: [{ id: 'expire', at: event.data.expiresAt }] };
      case 'HoldConfirmed':
        return { cancel: ['expire'] };
      case 'WorkflowTimerFired':
        return state.status === 'held' ? { commands: [{ type: 'ExpireHold', holdId: state.holdId! }] } : {};
      default:
        return {};
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'HoldPlaced':
        return { holdId: event.data.holdId, status: 'held' };
      case 'HoldConfirmed':
        return { ...state, status: 'confirmed' };
      case 'WorkflowTimerFired':
        return { ...state, status: 'expired' };
      default:
        return state;
    }
  },
};

function holdExpiryDefinition(workflow: Workflow<HoldEvent, HoldState, ExpireHold> = holdExpiry): WorkflowDefinition {
  return {
    name: 'hold-expiry',
    eventTypes: ['HoldPlaced', 'HoldConfirmed'],
    keyOf: (event) => (event as WorkflowEvent<HoldPlaced | HoldConfirmed> & { data: { holdId: string } }).data.holdId,
    workflow: workflow as Workflow,
  };
}

const T0 = new Date('2030-01-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('workflow runtime', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let knex: Knex;
  let checkpoints: ProcessManagerStore;
  const runtimes: WorkflowRuntime[] = [];
  // The workers' own poller lives an hour before the timers: the test fires them itself.
  const clock = { now: () => new Date(T0.getTime() - 3_600_000) };

  function runtime(options: { workflows?: WorkflowDefinition[]; dispatch?: (command: unknown) => Promise<unknown>; clock?: { now(): Date } } = {}) {
    const sent: unknown[] = [];
    const r = new WorkflowRuntime({
      connectionString: database.url,
      store,
      knex,
      clock: options.clock ?? clock,
      workflows: options.workflows ?? [holdExpiryDefinition()],
      dispatch: options.dispatch ?? (async (command) => void sent.push(command)),
      timerPollMs: 20,
      retryDelayMs: 5,
      maxRetryDelayMs: 20,
      leaseCheckMs: 50,
    });
    runtimes.push(r);
    return { runtime: r, sent };
  }

  async function placeHold(expiresInSeconds: number): Promise<string> {
    const holdId = randomUUID();
    await store.appendToStream(`hold-${holdId}`, [{ id: randomUUID(), type: 'HoldPlaced', data: { holdId, expiresAt: at(expiresInSeconds).toISOString() } }]);
    return holdId;
  }

  const timersOf = (holdId: string) => new WorkflowTimerStore(knex, store).timersOf('hold-expiry', holdId);
  const firings = async (holdId: string) => (await store.readStream(workflowTimerStream('hold-expiry', holdId))).filter((e) => e.type === WORKFLOW_TIMER_FIRED);
  /** What the workflow took, in the order it took it: its stream's copies of its inputs. */
  const taken = async (workflow: string, instanceId: string) =>
    (await store.readStream(workflowStream(workflow, instanceId))).map((e) => (e.data as RecordedInput).input.type);

  beforeEach(async () => {
    database = await createTestDatabase('workflows');
    store = new PostgresEventStore({ connectionString: database.url, poolSize: 5, pollIntervalMs: 50 });
    knex = createKnex(database.url, 5);
    checkpoints = new ProcessManagerStore(knex);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(runtimes.splice(0).map((r) => r.stop()));
    await store.close();
    await knex.destroy();
    await database.drop();
  });

  it('keeps a deadline in the table, fires it when due into the workflow’s stream, and sends the command once', async () => {
    const { runtime: r, sent } = runtime();
    await r.start();
    const holdId = await placeHold(60);
    await r.caughtUp();
    expect((await timersOf(holdId)).map((t) => [t.timer_id, t.due_at.toISOString(), t.fired_at])).toEqual([['expire', at(60).toISOString(), null]]);

    expect(await r.runDue(at(59))).toEqual([]);
    expect(sent).toEqual([]);
    expect((await r.runDue(at(60))).map((f) => [f.workflow, f.instanceId, f.timerId])).toEqual([['hold-expiry', holdId, 'expire']]);
    expect(sent).toEqual([{ type: 'ExpireHold', holdId }]);
    // Handled, the fired timer is gone; nothing is due any more.
    expect(await timersOf(holdId)).toEqual([]);
    expect(await r.runDue(at(3600))).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(await taken('hold-expiry', holdId)).toEqual(['HoldPlaced', 'WorkflowTimerFired']);
  });

  it('takes a burst of events for many instances in a few round trips, each instance in its order, each command caused by its own event', async () => {
    let appends = 0;
    let streamReads = 0;
    const appendToStream = store.appendToStream.bind(store);
    const readStream = store.readStream.bind(store);
    jest.spyOn(store, 'appendToStream').mockImplementation((...args) => (appends++, appendToStream(...args)));
    jest.spyOn(store, 'readStream').mockImplementation((...args) => (streamReads++, readStream(...args)));
    const causes: string[] = [];
    const { runtime: r, sent } = runtime({
      dispatch: async (command) => {
        sent.push(command);
        causes.push(String(currentContext()?.causationId));
      },
    });
    // 60 holds, half confirmed right away: 90 events for 60 instances, appended before the worker starts.
    const holds = await Promise.all(Array.from({ length: 60 }, () => placeHold(60)));
    await Promise.all(holds.slice(0, 30).map((holdId) => appendToStream(`hold-${holdId}`, [{ id: randomUUID(), type: 'HoldConfirmed', data: { holdId } }])));
    appends = 0;
    streamReads = 0;
    await r.start();
    await r.caughtUp();
    // One batch: the instances' streams in one readStreams (no readStream each), one append per instance.
    expect(streamReads).toBe(0);
    expect(appends).toBeLessThanOrEqual(60);
    for (const holdId of holds.slice(0, 30)) expect(await taken('hold-expiry', holdId)).toEqual(['HoldPlaced', 'HoldConfirmed']);
    for (const holdId of holds.slice(30)) expect(await taken('hold-expiry', holdId)).toEqual(['HoldPlaced']);
    const table = await knex('workflow_timers').where({ workflow: 'hold-expiry' }).pluck<string[]>('instance_id');
    expect(table.sort()).toEqual(holds.slice(30).sort());
    // The unconfirmed expire, each once, and the command's cause is its own firing.
    const fired = await r.runDue(at(60));
    expect(fired).toHaveLength(30);
    expect(sent.map((command) => (command as ExpireHold).holdId).sort()).toEqual(holds.slice(30).sort());
    const firingIds = fired.map((f) => timerFiredId(f.workflow, f.instanceId, f.timerId, f.generation)).sort();
    expect([...causes].sort()).toEqual(firingIds);
  });

  it('fires due timers on its own, as time passes', async () => {
    let now = at(0);
    const { runtime: r, sent } = runtime({ clock: { now: () => now } });
    await r.start();
    const holdId = await placeHold(1);
    await eventually(async () => (await timersOf(holdId)).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sent).toEqual([]);
    now = at(1);
    await eventually(async () => sent.length === 1, 5000, 'the timer to fire');
    expect(sent).toEqual([{ type: 'ExpireHold', holdId }]);
  });

  it('a cancelled timer never fires', async () => {
    const { runtime: r, sent } = runtime();
    await r.start();
    const holdId = await placeHold(60);
    await store.appendToStream(`hold-${holdId}`, [{ id: randomUUID(), type: 'HoldConfirmed', data: { holdId } }]);
    expect(await r.runDue(at(3600))).toEqual([]);
    expect(sent).toEqual([]);
    expect(await timersOf(holdId)).toEqual([]);
    expect(await firings(holdId)).toEqual([]);
  });

  it('a workflow that is behind takes a firing after what was recorded before it: a hold confirmed before its deadline came does not expire', async () => {
    const first = runtime();
    await first.runtime.start();
    const holdId = await placeHold(60);
    await first.runtime.caughtUp();
    await first.runtime.stop();
    // No worker runs the workflow: the confirmation waits in the log while the deadline passes,
    // and another worker's poller fires the timer.
    await store.appendToStream(`hold-${holdId}`, [{ id: randomUUID(), type: 'HoldConfirmed', data: { holdId } }]);
    expect(await new WorkflowTimerStore(knex, store).fireDue(at(60))).toHaveLength(1);

    const second = runtime();
    await second.runtime.start();
    await second.runtime.runDue(at(60));
    expect(second.sent).toEqual([]);
    expect(await taken('hold-expiry', holdId)).toEqual(['HoldPlaced', 'HoldConfirmed']);
    expect(await timersOf(holdId)).toEqual([]);
  });

  it('two pollers racing fire each timer once; a poller that died after appending leaves a firing that is not written twice', async () => {
    const { runtime: r, sent } = runtime();
    await r.start();
    const holds = [];
    for (let i = 0; i < 20; i++) holds.push(await placeHold(i));
    await r.caughtUp();

    // The first hold's firing was appended by a poller that died before marking its row.
    const [first] = await timersOf(holds[0]);
    await store.appendToStream(
      first.stream_name,
      [
        {
          id: timerFiredId('hold-expiry', holds[0], 'expire', first.generation),
          type: WORKFLOW_TIMER_FIRED,
          data: { workflow: 'hold-expiry', instanceId: holds[0], timerId: 'expire', generation: 1, dueAt: first.due_at.toISOString(), data: null, firedAt: T0.toISOString() },
        },
      ],
      { expectedRevision: 'any' },
    );

    const otherKnex = createKnex(database.url, 2);
    try {
      const pollers = [new WorkflowTimerStore(knex, store), new WorkflowTimerStore(otherKnex, store), new WorkflowTimerStore(otherKnex, store)];
      const fired = (await Promise.all(pollers.map((p) => p.fireDue(at(3600), 7)))).flat();
      const again = await new WorkflowTimerStore(knex, store).fireDue(at(3600));
      const byHold = [...fired, ...again].map((f) => f.instanceId).sort();
      expect(byHold).toEqual([...holds].sort());
    } finally {
      await otherKnex.destroy();
    }
    for (const holdId of holds) expect(await firings(holdId)).toHaveLength(1);
    await r.runDue(at(3600));
    expect(sent.map((c) => (c as ExpireHold).holdId).sort()).toEqual([...holds].sort());
  });

  it('a worker that crashed between recording an event and sending its command: the next one sends it, from the same decision, once', async () => {
    let crash = true;
    const first = runtime({
      dispatch: async () => {
        if (crash) throw new Error('the process died here');
      },
    });
    await first.runtime.start();
    const holdId = await placeHold(0);
    // The input is recorded and its timer set; the firing's command then fails, again and again.
    await eventually(async () => (await timersOf(holdId)).length === 1);
    await first.runtime.fireDue(at(0));
    await eventually(async () => (await firings(holdId)).length === 1 && ((await checkpoints.checkpoint('hold-expiry'))?.attempts ?? 0) > 0);
    await first.runtime.stop();

    crash = false;
    const second = runtime();
    await second.runtime.start();
    await second.runtime.runDue(at(0));
    expect(second.sent).toEqual([{ type: 'ExpireHold', holdId }]);
    // Nothing recorded twice: one copy of the input, one of the firing.
    expect(await taken('hold-expiry', holdId)).toEqual(['HoldPlaced', 'WorkflowTimerFired']);
    expect(await firings(holdId)).toHaveLength(1);
    expect(await timersOf(holdId)).toEqual([]);
  });

  it('with two workers running, one handles the workflow; when it stops, the other takes over where it left off', async () => {
    const a = runtime();
    const b = runtime();
    await a.runtime.start();
    await b.runtime.start();
    const before = [await placeHold(0), await placeHold(0)];
    await a.runtime.runDue(at(0));
    await a.runtime.stop();
    const after = [await placeHold(0), await placeHold(0)];
    await b.runtime.runDue(at(0));
    const sent = [...a.sent, ...b.sent].map((c) => (c as ExpireHold).holdId).sort();
    expect(sent).toEqual([...before, ...after].sort());
  });

  it('records the start of a workflow that starts at launch once, however often the worker starts', async () => {
    const schedule: WorkflowDefinition = {
      name: 'daily',
      eventTypes: [],
      startsAtLaunch: 'only',
      workflow: {
        initialState: () => null,
        decide: (event: WorkflowEvent) => (event.type === 'WorkflowStarted' ? { schedule: [{ id: 'tick', at: at(10).toISOString() }] } : { commands: ['tick'] }),
        evolve: (state: unknown) => state,
      },
    };
    const first = runtime({ workflows: [schedule] });
    await first.runtime.start();
    await first.runtime.stop();
    const second = runtime({ workflows: [schedule] });
    await second.runtime.start();
    expect(await second.runtime.runDue(at(10))).toHaveLength(1);
    expect(second.sent).toEqual(['tick']);
    expect(await taken('daily', 'only')).toEqual(['WorkflowStarted', 'WorkflowTimerFired']);
    expect((await store.readStream(workflowTimerStream('daily', 'only'))).map((e) => e.type)).toEqual(['WorkflowStarted', 'WorkflowTimerFired']);
  });

  it('stops a command in flight that can stop, at shutdown, and leaves its event to be handled again', async () => {
    let signal: AbortSignal | undefined;
    const stoppable = {
      withSignal(given: AbortSignal) {
        signal = given;
        return { type: 'Wait' };
      },
    };
    const waiting: Workflow<HoldEvent, HoldState, unknown> = { ...holdExpiry, decide: (event: WorkflowEvent<HoldEvent>) => (event.type === 'HoldPlaced' ? { commands: [stoppable] } : {}) };
    const { runtime: r } = runtime({
      workflows: [holdExpiryDefinition(waiting as Workflow<HoldEvent, HoldState, ExpireHold>)],
      dispatch: () => new Promise((_, reject) => signal!.addEventListener('abort', () => reject(signal!.reason))),
    });
    await r.start();
    await placeHold(0);
    await eventually(async () => signal !== undefined);
    expect(signal!.aborted).toBe(false);
    await r.stop();
    expect(signal!.aborted).toBe(true);
    expect((await checkpoints.checkpoint('hold-expiry'))?.position ?? null).toBeNull();
  });
});
