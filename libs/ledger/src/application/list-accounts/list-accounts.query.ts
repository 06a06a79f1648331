import { Query } from '@nestjs/cqrs';

export interface LedgerAccountView {
  branch: string;
  account: string;
  holder: string;
  blocked: boolean;
  openedAt: string;
}

export interface LedgerAccountPage {
  items: LedgerAccountView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Open accounts by branch then account, a page at a time, optionally of one branch. */
export class ListAccountsQuery extends Query<LedgerAccountPage> {
  constructor(
    readonly branch: string | undefined,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}
