import { Injectable } from '@nestjs/common';
import { type CommandResult, CommandRunner, deterministicId, NotFoundError } from '@app/core';
import type { Position } from '@app/eventstore';
import type { ShowEvent } from '../contract/ticketing.events';
import { type ReservationState, type ShowCommand, showDecider, type ShowState, showStream } from '../domain/show.decider';
import { ShowLocator } from './reservation-locator';

/** Who asks about a reservation: its customer sees it, an admin too where the contract says so. */
export interface Asker {
  userId: string;
  role: string;
}

/**
 * The shows' streams as the handlers use them: every command on a show runs grouped
 * (`runGrouped`, on the state this process last saw), and a reservation is found by its id alone.
 */
@Injectable()
export class Shows {
  constructor(
    private readonly commands: CommandRunner,
    private readonly locator: ShowLocator,
  ) {}

  run(showId: string, command: ShowCommand): Promise<CommandResult<ShowEvent, ShowState>> {
    return this.commands.runGrouped(showDecider, showStream(showId), command, { fromCache: true });
  }

  /** The show's state now (read to its end), with the position of its last event. */
  async load(showId: string): Promise<{ state: ShowState; position: Position | null }> {
    return this.commands.load(showDecider, showStream(showId));
  }

  /**
   * A reservation the asker may see, with its show: its customer's, or any for an admin when
   * `admins` says so; another's is NOT_FOUND, as one that does not exist.
   */
  async reservation(reservationId: string, asker: Asker, { admins }: { admins: boolean }): Promise<{ showId: string; reservation: ReservationState; position: Position }> {
    const showId = await this.locator.reservation(reservationId);
    const show = showId ? await this.load(showId) : undefined;
    const reservation = show?.state.reservations.get(reservationId);
    if (!showId || !show || !reservation || (reservation.customerId !== asker.userId && !(admins && asker.role === 'admin'))) throw new NotFoundError('Reservation', reservationId);
    return { showId, reservation, position: show.position! };
  }
}

/** Reservation ids for the waitlist offers the seats of `reservationId` make when they return: the same on every retry. */
export function offerIds(reservationId: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => deterministicId(reservationId, 'waitlist-offer', String(i)));
}
