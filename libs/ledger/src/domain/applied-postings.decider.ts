import type { Decider } from '@app/core/domain';
import type { LedgerPostingApplied } from '../contract/ledger.events';

/** A posting the balances include, as its LedgerPostingApplied names it (less the moment, which the batch has). */
export type AppliedPosting = Omit<LedgerPostingApplied['data'], 'appliedAt'>;

export type RecordPostingsApplied = { type: 'RecordPostingsApplied'; data: { postings: readonly AppliedPosting[]; appliedAt: string } };

export type AppliedPostingsState = { recorded: boolean };

/**
 * A batch of postings the balances came to include, in stream `ledger-applied-<batchId>`: one
 * LedgerPostingApplied per posting, all in one append, at the moment the recording reaction saw the
 * balances pass them. A batch records once; recording it again decides nothing.
 */
export const appliedPostingsDecider: Decider<RecordPostingsApplied, LedgerPostingApplied, AppliedPostingsState> = {
  initialState: () => ({ recorded: false }),

  decide(command, state) {
    if (state.recorded) return [];
    const { postings, appliedAt } = command.data;
    return postings.map((posting) => ({ type: 'LedgerPostingApplied', data: { ...posting, appliedAt } }));
  },

  evolve: () => ({ recorded: true }),
};

export function appliedPostingsStream(batchId: string): string {
  return `ledger-applied-${batchId}`;
}
