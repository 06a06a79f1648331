import { Inject, Injectable } from '@nestjs/common';
import { ConsistencyWaiter, ReadModels } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { reservationsProjection } from '@app/projections/ticketing/reservations/reservations.projection';
import { waitlistProjection } from '@app/projections/ticketing/waitlist/waitlist.projection';
import { reservationsQueries } from '@app/projections/ticketing/reservations/reservations.queries';
import { waitlistQueries } from '@app/projections/ticketing/waitlist/waitlist.queries';

const REMEMBERED = 100_000;
/** How long a lookup waits for the read model to have caught up with the log, for an id made an instant ago by another process. */
const WAIT_MS = 5000;

/**
 * Which show a reservation or waitlist entry is on (the contract's paths name only their ids): what
 * this process made or looked up, else the reservations and waitlist read models. An id they do not
 * have is looked up again once they have caught up with the log as it was (so one made an instant
 * ago by another api process is found). Null for an id that is on no show.
 */
@Injectable()
export class ShowLocator {
  private readonly shows = new Map<string, string>();

  constructor(
    private readonly readModels: ReadModels,
    private readonly consistency: ConsistencyWaiter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  remember(id: string, showId: string): void {
    if (this.shows.size >= REMEMBERED) this.shows.delete(this.shows.keys().next().value!);
    this.shows.set(id, showId);
  }

  reservation(reservationId: string): Promise<string | null> {
    return this.find(reservationId, reservationsProjection, ['SeatsHeld'], () => this.readModels.use(reservationsQueries).showOf(reservationId));
  }

  waitlistEntry(waitlistId: string): Promise<string | null> {
    return this.find(waitlistId, waitlistProjection, ['WaitlistJoined'], () => this.readModels.use(waitlistQueries).showOf(waitlistId));
  }

  private async find(id: string, projection: { name: string }, madeBy: string[], lookup: () => Promise<string | null>): Promise<string | null> {
    const known = this.shows.get(id);
    if (known) return known;
    let showId = await lookup();
    if (!showId) {
      const head = await this.store.headPosition({ eventTypes: madeBy });
      if (head === null) return null;
      await this.consistency.waitFor([projection.name], head, WAIT_MS, undefined, { throughReactions: false });
      showId = await lookup();
    }
    if (showId) this.remember(id, showId);
    return showId;
  }
}
