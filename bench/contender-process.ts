import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type BenchEvent, type Contender, emmettStore, ourStore } from './contenders';
import type { ChildMessage, ContenderName, ParentMessage, Scenario } from './protocol';

/**
 * A child process that holds one event store and runs the scenarios the parent sends it, one at a
 * time. Started by eventstore.bench.ts with `fork(contender-process.js, [name, databaseUrl])`.
 */
async function main(): Promise<void> {
  const [name, databaseUrl] = process.argv.slice(2) as [ContenderName, string];
  const contender = name === 'ours' ? await ourStore(databaseUrl) : await emmettStore(databaseUrl);
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'close') {
      // The parent waits for this process to exit; disconnecting lets the event loop drain.
      void contender.close().catch(reportError).finally(() => process.disconnect());
      return;
    }
    void run(contender, message.scenario).then(send, reportError);
  });
  send({ type: 'ready', api: contender.api });
}

async function run(contender: Contender, scenario: Scenario): Promise<ChildMessage> {
  switch (scenario.kind) {
    case 'append':
      return appendScenario(contender, scenario.writers, scenario.events, scenario.batchSize);
    case 'readAll':
      return readScenario(() => contender.readAll(scenario.pageSize));
    case 'catchUp':
      return readScenario(() => contender.catchUp(scenario.batchSize));
  }
}

/**
 * `writers` loops share one queue of appends, each to a stream of its own. The events are built
 * before the clock starts, so only the stores' own work is timed.
 */
async function appendScenario(contender: Contender, writers: number, events: number, batchSize: number): Promise<ChildMessage> {
  const appends = Array.from({ length: Math.ceil(events / batchSize) }, () => ({
    stream: `account-${randomUUID()}`,
    events: Array.from({ length: batchSize }, benchEvent),
  }));
  let next = 0;
  const { milliseconds, cpuMilliseconds } = await measure(() =>
    Promise.all(
      Array.from({ length: writers }, async () => {
        while (next < appends.length) {
          const append = appends[next++];
          await contender.append(append.stream, append.events);
        }
      }),
    ),
  );
  const written = appends.length * batchSize;
  return { type: 'result', events: written, distinct: written, milliseconds, cpuMilliseconds };
}

/** Times a read of the log; counting the distinct events it delivered is left off the clock. */
async function readScenario(read: () => Promise<string[]>): Promise<ChildMessage> {
  const { value: ids, milliseconds, cpuMilliseconds } = await measure(read);
  return { type: 'result', events: ids.length, distinct: new Set(ids).size, milliseconds, cpuMilliseconds };
}

/** Wall-clock time and this process's CPU time (user + system) spent on `work`. */
async function measure<T>(work: () => Promise<T>): Promise<{ value: T; milliseconds: number; cpuMilliseconds: number }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const milliseconds = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { value, milliseconds, cpuMilliseconds: (cpu.user + cpu.system) / 1000 };
}

/** A small, realistic event: about 150 bytes of data and three metadata fields. */
function benchEvent(_: unknown, index: number): BenchEvent {
  return {
    id: randomUUID(),
    type: 'FundsDeposited',
    data: { accountId: randomUUID(), amount: index, currency: 'EUR', note: 'benchmark deposit' },
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), userId: 'bench-user' },
  };
}

function send(message: ChildMessage): void {
  process.send!(message);
}

function reportError(error: unknown): void {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}

main().catch((error: unknown) => {
  reportError(error);
  process.exitCode = 1;
  process.disconnect();
});
