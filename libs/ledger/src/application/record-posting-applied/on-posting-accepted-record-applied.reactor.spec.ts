import type { CommandBus } from '@nestjs/cqrs';
import type { ConsistencyWaiter, PlatformConfig, Recorded } from '@app/core';
import type { LedgerPostingAccepted } from '@app/ledger/contract';
import { OnPostingAcceptedRecordAppliedReactor } from './on-posting-accepted-record-applied.reactor';
import type { RecordPostingsAppliedCommand } from './record-posting-applied.command';

const position = (n: number) => `${n.toString(16).padStart(16, '0')}-0000000000000000`;

function accepted(n: number): Recorded<LedgerPostingAccepted> {
  return { id: `event-${n}`, type: 'LedgerPostingAccepted', position: position(n), data: { traceKey: `trace-${n}` } } as unknown as Recorded<LedgerPostingAccepted>;
}

describe('OnPostingAcceptedRecordAppliedReactor', () => {
  let waits: { position: string; release: () => void }[];
  let sent: RecordPostingsAppliedCommand[];
  let reactor: OnPostingAcceptedRecordAppliedReactor;

  beforeEach(() => {
    waits = [];
    sent = [];
    const waiter = {
      waitFor: (_projections: unknown, at: string) => new Promise<void>((release) => waits.push({ position: at, release })),
    } as unknown as ConsistencyWaiter;
    const bus = { execute: async (command: RecordPostingsAppliedCommand) => void sent.push(command) } as unknown as CommandBus;
    reactor = new OnPostingAcceptedRecordAppliedReactor(bus, waiter, { consistencyTimeoutMs: 5000 } as PlatformConfig);
  });

  it('records nothing until the balances reach the batch’s last position, then the whole batch in one command', async () => {
    const handled = reactor.handleAll([accepted(1), accepted(2), accepted(3)]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(waits.map((wait) => wait.position)).toEqual([position(3)]);
    expect(sent).toEqual([]);
    waits[0].release();
    await handled;
    expect(sent.map(({ accepted }) => accepted.map((event) => event.data.traceKey))).toEqual([['trace-1', 'trace-2', 'trace-3']]);
  });

  it('the next batch waits again, for its own last position; one event alone is a batch of one', async () => {
    const first = reactor.handleAll([accepted(1)]);
    await new Promise((resolve) => setImmediate(resolve));
    waits[0].release();
    await first;
    const second = reactor.handle(accepted(5));
    await new Promise((resolve) => setImmediate(resolve));
    expect(waits.map((wait) => wait.position)).toEqual([position(1), position(5)]);
    waits[1].release();
    await second;
    expect(sent).toHaveLength(2);
  });
});
