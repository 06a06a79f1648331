import type { CommandBus } from '@nestjs/cqrs';
import { type ConsistencyWaiter, newContext, type PlatformConfig, type Recorded, runWithContext } from '@app/core';
import type { LedgerPostingAccepted } from '@app/ledger/contract';
import { OnPostingAcceptedRecordAppliedReactor } from './on-posting-accepted-record-applied.reactor';
import { RecordPostingAppliedCommand } from './record-posting-applied.command';

const position = (n: number) => `${n.toString(16).padStart(16, '0')}-0000000000000000`;

function accepted(n: number): Recorded<LedgerPostingAccepted> {
  return { id: `event-${n}`, type: 'LedgerPostingAccepted', position: position(n), data: { traceKey: `trace-${n}` } } as unknown as Recorded<LedgerPostingAccepted>;
}

describe('OnPostingAcceptedRecordAppliedReactor', () => {
  let waits: { position: string; release: () => void }[];
  let sent: RecordPostingAppliedCommand[];
  let reactor: OnPostingAcceptedRecordAppliedReactor;

  beforeEach(() => {
    waits = [];
    sent = [];
    const waiter = {
      waitFor: (_projections: unknown, at: string) => new Promise<void>((release) => waits.push({ position: at, release })),
    } as unknown as ConsistencyWaiter;
    const bus = { execute: async (command: RecordPostingAppliedCommand) => void sent.push(command) } as unknown as CommandBus;
    reactor = new OnPostingAcceptedRecordAppliedReactor(bus, waiter, { consistencyTimeoutMs: 5000 } as PlatformConfig);
  });

  const handleInBatch = (events: Recorded<LedgerPostingAccepted>[], deliveredUpTo: string) =>
    events.map((event) => runWithContext(newContext({ deliveredUpTo }), () => reactor.handle(event)));

  it('records nothing until the balances reach the batch’s last position, then every posting of it, waiting once', async () => {
    const handled = handleInBatch([accepted(1), accepted(2), accepted(3)], position(3));
    await new Promise((resolve) => setImmediate(resolve));
    expect(waits.map((wait) => wait.position)).toEqual([position(3)]);
    expect(sent).toEqual([]);
    waits[0].release();
    await Promise.all(handled);
    expect(sent.map(({ accepted }) => [accepted.data.traceKey, accepted.id])).toEqual([
      ['trace-1', 'event-1'],
      ['trace-2', 'event-2'],
      ['trace-3', 'event-3'],
    ]);
  });

  it('the next batch waits again, for its own last position', async () => {
    const first = handleInBatch([accepted(1)], position(1));
    await new Promise((resolve) => setImmediate(resolve));
    waits[0].release();
    await Promise.all(first);
    const second = handleInBatch([accepted(5)], position(5));
    await new Promise((resolve) => setImmediate(resolve));
    expect(waits.map((wait) => wait.position)).toEqual([position(1), position(5)]);
    waits[1].release();
    await Promise.all(second);
    expect(sent).toHaveLength(2);
  });
});
