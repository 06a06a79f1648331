import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, ConsistencyWaiter, ReadModels } from '@app/core';
import { EVENT_STORE, type EventStore, type Position } from '@app/eventstore';
import {
  LEDGER_RECONCILIATIONS_STREAM,
  type LedgerPostingAccepted,
  type LedgerReconciled,
  type LedgerReconciliationDifference,
} from '../../contract/ledger.events';
import { ledgerAccountsQueries } from '@app/projections/ledger/accounts/accounts.queries';
import { balancesProjection } from '@app/projections/ledger/balances/balances.projection';
import { balancesQueries } from '@app/projections/ledger/balances/balances.queries';
import { formatCents } from '../../domain/money';
import { accountKey, BalancesFold, compareAccount, type DayValues, parseAccountKey } from './reconcile';
import { type Reconciliation, ReconcileLedgerCommand } from './reconcile-ledger.command';

const PAGE = 1000;
const ACCOUNTS_AT_ONCE = 8;
/** Differences kept in the event and the answer; the count covers them all. */
export const MAX_DIFFERENCES = 1000;
/** How long the balances may take to reach the log's head: far longer than a request's wait, a run is rare. */
const CATCH_UP_MS = 120_000;
/** Rounds at most for accounts that differ while postings keep coming (see execute): each re-reads only those accounts. */
const ROUNDS = 10;
const EVERY_DAY: [string, string] = ['0000-01-01', '9999-12-31'];

/**
 * Folds every LedgerPostingAccepted up to the log's head at the start, waits for the balances
 * projection to reach that head, then compares every account's days both ways: the accounts with
 * postings and every open account (a read-model row of an account without postings is a
 * difference too). The projection goes on past the head while the run reads, so an account that
 * differs is checked again with the postings since folded in, up to ROUNDS times: a difference
 * left is one the postings do not explain.
 */
@Injectable()
@CommandHandler(ReconcileLedgerCommand)
export class ReconcileLedgerHandler implements ICommandHandler<ReconcileLedgerCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly waiter: ConsistencyWaiter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ reconciliationId, progress, signal }: ReconcileLedgerCommand): Promise<Reconciliation> {
    const recorded = await this.recorded(reconciliationId);
    if (recorded) return recorded;
    const fold = new BalancesFold();
    let upTo = await this.foldUpTo(fold, null, signal);
    const keys = new Set([...fold.keys(), ...(await this.openAccounts())]);
    const total = keys.size;
    let checkedDays = 0;
    let differing = new Map<string, { days: number; differences: LedgerReconciliationDifference[] }>();
    let done = 0;
    const all = [...keys];
    for (let i = 0; i < all.length; i += ACCOUNTS_AT_ONCE) {
      signal?.throwIfAborted();
      const results = await Promise.all(all.slice(i, i + ACCOUNTS_AT_ONCE).map(async (key) => [key, await this.check(fold, key)] as const));
      for (const [key, result] of results) {
        if (result.differences.length > 0) differing.set(key, result);
        else checkedDays += result.days;
      }
      done += results.length;
      progress?.(done, total);
    }
    for (let round = 1; round < ROUNDS && differing.size > 0; round++) {
      const head = await this.store.headPosition({ eventTypes: ['LedgerPostingAccepted'] });
      if (head === upTo) break;
      upTo = await this.foldUpTo(fold, upTo, signal);
      const again = new Map<string, { days: number; differences: LedgerReconciliationDifference[] }>();
      for (const key of differing.keys()) {
        const result = await this.check(fold, key);
        if (result.differences.length > 0) again.set(key, result);
        else checkedDays += result.days;
      }
      differing = again;
    }
    const differences = [...differing.values()].flatMap((result) => result.differences);
    checkedDays += [...differing.values()].reduce((sum, result) => sum + result.days, 0);
    const data: LedgerReconciled['data'] = {
      reconciliationId,
      checkedAccounts: total,
      checkedDays,
      differenceCount: differences.length,
      differences: differences.slice(0, MAX_DIFFERENCES),
      upTo,
      at: this.clock.now().toISOString(),
    };
    // The event's id is the reconciliation's, so a repeat (a job's retried command) writes nothing new.
    const { position } = await this.store.appendToStream(LEDGER_RECONCILIATIONS_STREAM, [{ id: reconciliationId, type: 'LedgerReconciled', data }]);
    return toReconciliation(data, position);
  }

  /** A reconciliation of this id recorded already (a job's command sent again): its answer, not a second run. */
  private async recorded(reconciliationId: string): Promise<Reconciliation | null> {
    const recent = await this.store.readStream(LEDGER_RECONCILIATIONS_STREAM, { direction: 'backwards', fromRevision: 'end', maxCount: 20 });
    const event = recent.find((e) => e.type === 'LedgerReconciled' && (e.data as LedgerReconciled['data']).reconciliationId === reconciliationId);
    return event ? toReconciliation(event.data as LedgerReconciled['data'], event.position) : null;
  }

  /** Folds the postings after `from` up to the head of now, then waits for the balances to reach it; resolves to that head. */
  private async foldUpTo(fold: BalancesFold, from: Position | null, signal?: AbortSignal): Promise<Position | null> {
    const head = await this.store.headPosition({ eventTypes: ['LedgerPostingAccepted'] });
    if (head === null) return null;
    let after: Position | 'start' = from ?? 'start';
    for (;;) {
      signal?.throwIfAborted();
      const page = await this.store.readAll({ fromPosition: after, maxCount: PAGE, filter: { eventTypes: ['LedgerPostingAccepted'] } });
      for (const event of page) if (event.position <= head) fold.add(event.data as LedgerPostingAccepted['data']);
      if (page.length < PAGE || page[page.length - 1].position >= head) break;
      after = page[page.length - 1].position;
    }
    await this.waiter.waitFor([balancesProjection], head, CATCH_UP_MS, signal, { throughReactions: false });
    return head;
  }

  private async openAccounts(): Promise<string[]> {
    const keys: string[] = [];
    let cursor: { branch: string; account: string } | undefined;
    do {
      const { rows, next } = await this.readModels.use(ledgerAccountsQueries).page({ limit: PAGE, cursor });
      for (const row of rows) keys.push(accountKey(row.branch, row.account));
      cursor = next;
    } while (cursor);
    return keys;
  }

  private async check(fold: BalancesFold, key: string) {
    const { branch, account } = parseAccountKey(key);
    const rows = await this.readModels.use(balancesQueries).balancesBetween(branch, account, ...EVERY_DAY);
    const actual = new Map<string, DayValues>(rows.map((row) => [row.dateRef, row]));
    return compareAccount(branch, account, fold.daysOf(branch, account), actual);
  }
}

/** The answer from the recorded event: amounts with two decimals. */
export function toReconciliation(data: LedgerReconciled['data'], position: string): Reconciliation {
  const { reconciliationId, checkedAccounts, checkedDays, differences } = data;
  const format = (cents: string | null) => (cents === null ? null : formatCents(cents));
  return {
    reconciliationId,
    checkedAccounts,
    checkedDays,
    differences: differences.map((d) => ({ ...d, expected: format(d.expected), actual: format(d.actual) })),
    position,
  };
}
