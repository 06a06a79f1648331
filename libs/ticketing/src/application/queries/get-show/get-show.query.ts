import { Query } from '@nestjs/cqrs';

export type SeatStatus = 'available' | 'held' | 'sold';

export interface ShowDetail {
  showId: string;
  title: string;
  venue: string;
  startsAt: string;
  holdSeconds: number;
  available: number;
  held: number;
  sold: number;
  /** In the order the show was created with, each row's seats from 1. */
  sections: { name: string; price: string; rows: { name: string; seats: { seatId: string; status: SeatStatus }[] }[] }[];
}

/** A show with its seat map and every seat's status. */
export class GetShowQuery extends Query<ShowDetail> {
  constructor(readonly showId: string) {
    super();
  }
}
