import { randomUUID } from 'node:crypto';
import { CommandRunner, newContext, runWithContext } from '@app/core';
import { type EventData, type EventStore, type ExpectedRevision, type RecordedEvent, type ReadStreamOptions, WrongExpectedVersionError } from '@app/eventstore';
import { accountStream } from '../../domain/account.decider';
import { billingCycleStream } from '../../domain/billing-cycle.decider';
import { KnownPrices } from '../price-task/known-prices';
import { PriceTaskHandler } from '../price-task/price-task.handler';
import { PriceTaskCommand } from '../price-task/price-task.command';
import { PostTransactionCommand, type TaskCharge } from './post-transaction.command';
import { PostTransactionHandler } from './post-transaction.handler';

/** Streams in memory, with the store's append semantics, counting the reads of each stream. */
class CountingStore {
  readonly streams = new Map<string, RecordedEvent[]>();
  readonly reads: string[] = [];
  private position = 0;

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.reads.push(streamName);
    const from = options.fromRevision === undefined || options.fromRevision === 'start' ? 0 : Number(options.fromRevision);
    return (this.streams.get(streamName) ?? []).slice(from, options.maxCount === undefined ? undefined : from + options.maxCount);
  }

  async appendToStream(streamName: string, events: readonly EventData[], options: { expectedRevision?: ExpectedRevision } = {}) {
    const stream = this.streams.get(streamName) ?? [];
    const current = stream.length === 0 ? null : BigInt(stream.length - 1);
    const expected = options.expectedRevision ?? 'any';
    if ((expected === 'no_stream' && current !== null) || (typeof expected === 'bigint' && expected !== current)) {
      throw new WrongExpectedVersionError(streamName, expected, current ?? 'no_stream');
    }
    for (const event of events) {
      stream.push({ ...event, metadata: event.metadata ?? {}, streamName, revision: BigInt(stream.length), position: String(++this.position).padStart(12, '0'), recordedAt: new Date() });
    }
    this.streams.set(streamName, stream);
    return { nextExpectedRevision: BigInt(stream.length - 1), position: stream[stream.length - 1].position };
  }

  readsOf(prefix: string): number {
    return this.reads.filter((name) => name.startsWith(prefix)).length;
  }
}

const DAY = '2026-03-02';
/** A log position, as the store writes them (the in-memory store's are 12 digits). */
const position = (n: number) => String(n).padStart(12, '0');
const NEXT_DAY = '2026-03-03';

describe('PostTransactionHandler', () => {
  let store: CountingStore;
  let commands: CommandRunner;
  let handler: PostTransactionHandler;
  /** Another process's prices: what it priced, this handler has to read. */
  let elsewhere: KnownPrices;
  const userId = randomUUID();

  beforeEach(() => {
    store = new CountingStore();
    commands = new CommandRunner(store as unknown as EventStore);
    handler = new PostTransactionHandler(commands, new KnownPrices());
    elsewhere = new KnownPrices();
  });

  async function pricedTask(known = elsewhere): Promise<string> {
    const taskId = randomUUID();
    const pricer = new PriceTaskHandler(commands, { draw: () => ({ assignmentFee: 13, completionReward: 27 }) }, { now: () => new Date() }, known);
    await pricer.execute(new PriceTaskCommand(taskId, 'Title', 'Description'));
    return taskId;
  }

  const charge = (taskId: string, kind: 'debit' | 'credit'): TaskCharge => ({ kind, transactionId: randomUUID(), taskId, userId, at: new Date().toISOString() });
  const postedTo = (date: string) => (store.streams.get(accountStream(userId, date)) ?? []).map((event) => event.type);

  it('posts the task debits and credits of a batch with one read of the day and one of the account, the prices read once', async () => {
    const tasks = await Promise.all(Array.from({ length: 10 }, pricedTask));
    store.reads.length = 0;
    // As the task-accounts process manager runs it: in a reaction to events of one batch, delivered up to position 100.
    const inBatch = (command: PostTransactionCommand) => runWithContext(newContext({ deliveredUpTo: position(100) }), () => handler.execute(command));
    for (const [i, taskId] of tasks.entries()) {
      expect(await inBatch(new PostTransactionCommand(charge(taskId, 'debit'), DAY, position(50 + i)))).toBe(DAY);
      expect(await inBatch(new PostTransactionCommand(charge(taskId, 'credit'), DAY, position(70 + i)))).toBe(DAY);
    }
    expect(postedTo(DAY)).toEqual(tasks.flatMap(() => ['AccountDebited', 'AccountCredited']));
    // 20 transactions: at first 4 reads each (price, account day, billing cycle, account day again in run) = 80; then 50.
    expect(store.readsOf('task-pricing')).toBe(10);
    expect(store.readsOf(billingCycleStream(DAY))).toBe(1);
    expect(store.readsOf(accountStream(userId, DAY))).toBe(1);
    expect(store.reads).toHaveLength(12);
    // The next batch reads the day again: it may have started closing since.
    await handler.execute(new PostTransactionCommand(charge(tasks[0], 'debit'), DAY, position(101)));
    expect(store.readsOf(billingCycleStream(DAY))).toBe(2);
  });

  it('charges a task priced in this process without reading its price list back', async () => {
    const known = new KnownPrices();
    handler = new PostTransactionHandler(commands, known);
    const taskId = await pricedTask(known);
    store.reads.length = 0;
    expect(await handler.execute(new PostTransactionCommand(charge(taskId, 'debit'), DAY))).toBe(DAY);
    expect(store.readsOf('task-pricing')).toBe(0);
    expect(store.streams.get(accountStream(userId, DAY))).toMatchObject([{ type: 'AccountDebited', data: { amount: 13, taskTitle: 'Title' } }]);
  });

  it('decides on the account as it last saw it, and a close that moved it since costs a retry, not a posting on a closed day', async () => {
    const taskId = await pricedTask();
    await handler.execute(new PostTransactionCommand(charge(taskId, 'debit'), DAY, position(1)));
    // Another process closes the account day behind this one's back.
    await store.appendToStream(accountStream(userId, DAY), [{ id: randomUUID(), type: 'AccountDayClosed', data: { userId, date: DAY, closingBalance: -13, closedAt: new Date().toISOString() } }]);
    expect(await handler.execute(new PostTransactionCommand(charge(taskId, 'credit'), DAY, position(2)))).toBe(NEXT_DAY);
    expect(postedTo(DAY)).toEqual(['AccountDebited', 'AccountDayClosed']);
    expect(postedTo(NEXT_DAY)).toEqual(['AccountCredited']);
  });

  it('charges a redelivered transaction nothing twice', async () => {
    const debit = charge(await pricedTask(), 'debit');
    await handler.execute(new PostTransactionCommand(debit, DAY));
    expect(await handler.execute(new PostTransactionCommand(debit, DAY))).toBe(DAY);
    expect(postedTo(DAY)).toEqual(['AccountDebited']);
  });

  it('posts to the next open day once a close has begun, finds a transaction posted before it, and reads a closing day once', async () => {
    const taskId = await pricedTask();
    const early = charge(taskId, 'debit');
    await handler.execute(new PostTransactionCommand(early, DAY));
    await store.appendToStream(billingCycleStream(DAY), [{ id: randomUUID(), type: 'BillingCycleCloseStarted', data: { date: DAY, startedAt: new Date().toISOString() } }]);

    expect(await handler.execute(new PostTransactionCommand(charge(taskId, 'credit'), DAY))).toBe(NEXT_DAY);
    expect(await handler.execute(new PostTransactionCommand(early, DAY))).toBe(DAY);
    expect(await handler.execute(new PostTransactionCommand(charge(taskId, 'debit'), DAY))).toBe(NEXT_DAY);
    expect(postedTo(DAY)).toEqual(['AccountDebited']);
    expect(postedTo(NEXT_DAY)).toEqual(['AccountCredited', 'AccountDebited']);
    // Read open once (the first posting), then closing once: a day that is not open never opens again.
    expect(store.readsOf(billingCycleStream(DAY))).toBe(2);
  });

  it('lets a closing day take the work of task events up to the head its close caught up with, and only that', async () => {
    const taskId = await pricedTask();
    const upTo = '000000000010';
    await store.appendToStream(billingCycleStream(DAY), [{ id: randomUUID(), type: 'BillingCycleCloseStarted', data: { date: DAY, startedAt: new Date().toISOString(), upTo } }]);
    // Recorded before the close began (at or before upTo): still on its day. After: the next day. Unknown: the next day.
    expect(await handler.execute(new PostTransactionCommand(charge(taskId, 'debit'), DAY, '000000000009'))).toBe(DAY);
    expect(await handler.execute(new PostTransactionCommand(charge(taskId, 'credit'), DAY, upTo))).toBe(DAY);
    expect(await handler.execute(new PostTransactionCommand(charge(taskId, 'debit'), DAY, '000000000011'))).toBe(NEXT_DAY);
    expect(await handler.execute(new PostTransactionCommand(charge(taskId, 'debit'), DAY))).toBe(NEXT_DAY);
    expect(postedTo(DAY)).toEqual(['AccountDebited', 'AccountCredited']);
    expect(postedTo(NEXT_DAY)).toEqual(['AccountDebited', 'AccountDebited']);
  });

  it('walks on when the account day was closed by a close the billing cycle read did not see', async () => {
    const taskId = await pricedTask();
    await store.appendToStream(accountStream(userId, DAY), [{ id: randomUUID(), type: 'AccountDayClosed', data: { userId, date: DAY, closingBalance: 0, closedAt: new Date().toISOString() } }]);
    expect(await handler.execute(new PostTransactionCommand(charge(taskId, 'debit'), DAY))).toBe(NEXT_DAY);
    expect(postedTo(NEXT_DAY)).toEqual(['AccountDebited']);
  });

  it('refuses a charge for a task not priced yet', async () => {
    await expect(handler.execute(new PostTransactionCommand(charge(randomUUID(), 'debit'), DAY))).rejects.toThrow(/no price yet/);
  });
});

describe('PriceTaskHandler', () => {
  it('prices a new task without a read, keeps the first price when the task was priced before, and reads a priced task no more', async () => {
    const store = new CountingStore();
    const commands = new CommandRunner(store as unknown as EventStore);
    const pricer = new PriceTaskHandler(commands, { draw: () => ({ assignmentFee: 13, completionReward: 27 }) }, { now: () => new Date() }, new KnownPrices());
    // Another process (or this one after a restart) that does not know the price.
    const other = new PriceTaskHandler(new CommandRunner(store as unknown as EventStore), { draw: () => ({ assignmentFee: 19, completionReward: 39 }) }, { now: () => new Date() }, new KnownPrices());

    const taskId = randomUUID();
    expect(await pricer.execute(new PriceTaskCommand(taskId, 'T', 'D'))).toMatchObject({ assignmentFee: 13 });
    expect(store.reads).toHaveLength(0);
    expect(await pricer.execute(new PriceTaskCommand(taskId, 'T', 'D'))).toMatchObject({ assignmentFee: 13 });
    expect(store.reads).toHaveLength(0);

    // The other pricer's append expects no stream and fails; it reads the first price and keeps it.
    expect(await other.execute(new PriceTaskCommand(taskId, 'T', 'D'))).toMatchObject({ assignmentFee: 13, completionReward: 27 });
    expect(store.streams.get(`task-pricing-${taskId}`)).toHaveLength(1);
    expect(store.reads).toHaveLength(1);
  });
});
