import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { AcceptPostingCommand, type PostingRules } from '../accept-posting/accept-posting.command';
import type { PostingBody } from '@app/ledger/contract';
import { eventCodeDecider, eventCodeStream } from '../../domain/event-code.decider';
import { ledgerAccountDecider, ledgerAccountStream } from '../../domain/ledger-account.decider';
import { AcceptPostingBatchCommand, type BatchItemOutcome, type BatchOutcome } from './accept-posting-batch.command';

/** How many of a batch's postings are appended at once: enough to overlap round trips, few enough to leave the pool to others. */
const CONCURRENT_APPENDS = 32;

/**
 * A batch reads each distinct event code and account once, at its start, and checks every one of
 * its postings against that state: a change committed while the batch runs applies from the next
 * request on. The postings are then appended concurrently, each to its own stream, so they never
 * contend with one another; two items with one trace key are run one after the other by the
 * runner, so the second is a repeat or a conflict, as it would be alone.
 */
@Injectable()
@CommandHandler(AcceptPostingBatchCommand)
export class AcceptPostingBatchHandler implements ICommandHandler<AcceptPostingBatchCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly commandBus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ items }: AcceptPostingBatchCommand): Promise<BatchOutcome> {
    const rulesOf = await this.readRulesOnce(items.map((item) => item.posting));
    const outcomes: BatchItemOutcome[] = new Array(items.length);
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < items.length; i = next++) {
        const { index, posting } = items[i];
        try {
          outcomes[i] = { index, result: await this.commandBus.execute(new AcceptPostingCommand(posting, rulesOf(posting))) };
        } catch (error) {
          outcomes[i] = { index, error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_APPENDS, items.length) }, lane));
    const positions = outcomes.flatMap((outcome) => ('result' in outcome ? [outcome.result.position] : []));
    // Positions are fixed-width: their order as strings is the log's.
    const position = positions.length > 0 ? positions.reduce((a, b) => (b > a ? b : a)) : await this.store.headPosition();
    return { outcomes, position: position! };
  }

  /** The rules of every posting, each distinct event code and account read once (their tails in two round trips). */
  private async readRulesOnce(postings: readonly PostingBody[]): Promise<(posting: PostingBody) => PostingRules> {
    const codes = [...new Set(postings.map((posting) => posting.eventCode))];
    const accounts = [...new Map(postings.map((posting) => [accountKey(posting), posting])).values()];
    const [codeStates, accountStates] = await Promise.all([
      this.commands.loadAll(codes.map((code) => ({ decider: eventCodeDecider, streamName: eventCodeStream(code) }))),
      this.commands.loadAll(accounts.map(({ branch, account }) => ({ decider: ledgerAccountDecider, streamName: ledgerAccountStream(branch, account) }))),
    ]);
    const byCode = new Map(codes.map((code, i) => [code, codeStates[i].state]));
    const byAccount = new Map(accounts.map((posting, i) => [accountKey(posting), accountStates[i].state]));
    return (posting) => ({ eventCode: byCode.get(posting.eventCode)!, account: byAccount.get(accountKey(posting))! });
  }
}

function accountKey(posting: { branch: string; account: string }): string {
  return `${posting.branch}:${posting.account}`;
}
