import { Query } from '@nestjs/cqrs';

export interface WaitlistEntryView {
  waitlistId: string;
  showId: string;
  quantity: number;
  place: number;
  status: 'waiting' | 'offered' | 'expired' | 'left';
  /** The hold offered to the entry, once offered. */
  reservationId: string | null;
}

/** A customer's waitlist entries, every one, newest first. */
export class ListMyWaitlistQuery extends Query<WaitlistEntryView[]> {
  constructor(readonly customerId: string) {
    super();
  }
}
