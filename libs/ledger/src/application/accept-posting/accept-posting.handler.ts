import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner, DomainError, utcDateOf } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import type { PostingBody } from '@app/ledger/contract';
import { eventCodeDecider, eventCodeStream } from '../../domain/event-code.decider';
import { ledgerAccountDecider, ledgerAccountStream } from '../../domain/ledger-account.decider';
import { LedgerTraceKeyConflict } from '../../domain/ledger.errors';
import { postingDecider, postingStream } from '../../domain/posting.decider';
import { LEDGER_CONFIG, type LedgerConfig } from '../ledger.config';
import { AcceptPostingCommand, type PostingResult, type PostingRules } from './accept-posting.command';

/**
 * Reads the event code's and the account's current state (the runner's cache, then whatever of
 * their streams came after it: a change committed before this read applies to this posting), and
 * decides the posting with them, today's date and the window. The posting's stream is keyed by
 * its trace key and appended expecting no stream, so of racing requests with one key exactly one
 * appends; the others re-read it and answer as a repeat or a conflict.
 */
@Injectable()
@CommandHandler(AcceptPostingCommand)
export class AcceptPostingHandler implements ICommandHandler<AcceptPostingCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ posting, rules }: AcceptPostingCommand): Promise<PostingResult> {
    const { eventCode, account } = rules ?? (await readRules(this.commands, posting));
    const now = this.clock.now();
    const stream = postingStream(posting.traceKey);
    const command = {
      type: 'AcceptPosting' as const,
      data: {
        posting,
        postingId: randomUUID(),
        acceptedAt: now.toISOString(),
        today: utcDateOf(now),
        retroactiveDays: this.config.retroactiveDays,
        eventCode,
        account,
      },
    };
    // First as a new stream (no read: most trace keys are new). A broken rule on that guess may
    // be a repeat of a posting accepted under rules since changed, so it is decided again on the
    // stream as it is: a repeat is answered as it was, a new posting refused as before.
    // Not cached: a posting's stream is written once and read again only for a repeat of its trace key.
    const { events, state, position } = await this.commands
      .run(postingDecider, stream, command, { newStream: true, cache: false })
      .catch((error: unknown) => {
        if (error instanceof DomainError && error.status === 422) return this.commands.run(postingDecider, stream, command, { cache: false });
        throw error;
      })
      .catch(inApiFields);
    if (state.status === 'none') throw new Error(`Posting ${posting.traceKey} was neither accepted nor found`);
    const result = { postingId: state.posting.postingId, traceKey: posting.traceKey, status: 'accepted' as const };
    if (events.length > 0) return { ...result, position: position!, replayed: false };
    // A repeat answers the first result: the position of the acceptance, the stream's first event.
    const [accepted] = await this.store.readStream(stream, { fromRevision: 'start', maxCount: 1 });
    return { ...result, position: accepted.position, replayed: true };
  }
}

/** The event code's and the account's state now: their tails after the cache, read in one round trip. */
export async function readRules(commands: CommandRunner, posting: Pick<PostingBody, 'eventCode' | 'branch' | 'account'>): Promise<PostingRules> {
  const [eventCode, account] = await commands.loadAll([
    { decider: eventCodeDecider, streamName: eventCodeStream(posting.eventCode) },
    { decider: ledgerAccountDecider, streamName: ledgerAccountStream(posting.branch, posting.account) },
  ]);
  return { eventCode: eventCode.state, account: account.state };
}

/** A conflict names the fields as the API spells them: the domain's `amountCents` is the client's `amount`. */
function inApiFields(error: unknown): never {
  if (!(error instanceof LedgerTraceKeyConflict)) throw error;
  throw new LedgerTraceKeyConflict(String(error.details.traceKey), error.differing.map((field) => (field === 'amountCents' ? 'amount' : field)));
}
