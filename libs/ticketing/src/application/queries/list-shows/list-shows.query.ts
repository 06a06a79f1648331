import { Query } from '@nestjs/cqrs';

export interface ShowListItem {
  showId: string;
  title: string;
  venue: string;
  startsAt: string;
  available: number;
  held: number;
  sold: number;
}

export interface ShowPage {
  items: ShowListItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Shows starting at or after `from` (every show without it), by start then id, a page at a time. */
export class ListShowsQuery extends Query<ShowPage> {
  constructor(
    readonly from: Date | undefined,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}
