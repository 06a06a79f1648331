import { Query } from '@nestjs/cqrs';
import type { PostingStatus } from '../get-posting/get-posting.query';

export interface StatementPage {
  items: PostingStatus[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** An account's postings with `dateRef` from `from` to `to`, by `dateRef`, then in the order they were accepted. */
export class GetStatementQuery extends Query<StatementPage> {
  constructor(
    readonly branch: string,
    readonly account: string,
    readonly from: string,
    readonly to: string,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}
