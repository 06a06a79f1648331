import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { showDecider, showStream } from '../../domain/show.decider';
import { PersonalData } from '../customers/personal-data';
import { type ReservationAnswer, reservationView } from '../reservation-view';
import { ShowLocator } from '../reservation-locator';
import { ReserveSeatsCommand } from './reserve-seats.command';

/**
 * Holds seats: decided on the whole show, grouped with the other commands on the show that arrive
 * meanwhile (one decision, one append), on the state this process last saw of it; another process
 * having moved the show costs a re-read and a second decision, never a seat held twice.
 */
@Injectable()
@CommandHandler(ReserveSeatsCommand)
export class ReserveSeatsHandler implements ICommandHandler<ReserveSeatsCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly locator: ShowLocator,
    private readonly personalData: PersonalData,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ showId, customerId, request }: ReserveSeatsCommand): Promise<ReservationAnswer> {
    const reservationId = randomUUID();
    const { state, position } = await this.commands.runGrouped(
      showDecider,
      showStream(showId),
      { type: 'ReserveSeats', data: { showId, reservationId, customerId, now: this.clock.now().toISOString(), ...request } },
      { fromCache: true },
    );
    this.locator.remember(reservationId, showId);
    const customer = (await this.personalData.reveal([customerId])).get(customerId) ?? null;
    return { ...reservationView(showId, state.reservations.get(reservationId)!, customer), position: position! };
  }
}
