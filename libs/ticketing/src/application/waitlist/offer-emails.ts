import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AsProcessManager, CLOCK, type Clock, CommandRunner, deterministicId, type ProcessManager, ReadModels, type Recorded } from '@app/core';
import { usersQueries } from '@app/identity';
import type { WaitlistOffered, WaitlistOfferEmailed } from '../../contract/ticketing.events';
import { formatCents } from '../../domain/money';
import { offerEmailDecider, offerEmailStream } from '../../domain/offer-email.decider';
import { Shows } from '../shows';

export class SendOfferEmailCommand extends Command<void> {
  constructor(readonly offer: Recorded<WaitlistOffered>) {
    super();
  }
}

/**
 * Stores a waitlist offer's email in the outbox (`ticketing-offer-email-<id>`), to the customer's
 * account email: which show, which seats, the price, until when they are held. Its id derives
 * from the offer, so a redelivered offer stores nothing twice.
 */
@Injectable()
@CommandHandler(SendOfferEmailCommand)
export class SendOfferEmailHandler implements ICommandHandler<SendOfferEmailCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly shows: Shows,
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ offer }: SendOfferEmailCommand): Promise<void> {
    const { showId, waitlistId, reservationId, customerId } = offer.data;
    const emailId = deterministicId(offer.id, 'offer-email');
    const [{ state }, user] = await Promise.all([this.shows.load(showId), this.readModels.use(usersQueries).byId(customerId)]);
    const reservation = state.reservations.get(reservationId);
    if (!user || !reservation || !state.show) return;
    await this.commands.run(
      offerEmailDecider,
      offerEmailStream(emailId),
      {
        type: 'StoreOfferEmail',
        data: {
          emailId,
          showId,
          waitlistId,
          reservationId,
          userId: customerId,
          to: user.email,
          subject: `Seats for ${state.show.title} are held for you`,
          text:
            `Hello ${user.name},\n\nseats came back for ${state.show.title} (${state.show.venue}, ${state.show.startsAt}) and are held for you: ` +
            `${reservation.seats.join(', ')}, ${formatCents(reservation.totalCents)} in all.\n` +
            `Confirm reservation ${reservationId} before ${reservation.expiresAt}, or they go to the next in line.\n\nTicketSafe`,
          storedAt: this.clock.now().toISOString(),
        },
      },
      { eventIds: [emailId] },
    );
  }
}

/** Every waitlist offer is emailed to its customer (stored in the outbox). */
@Injectable()
@AsProcessManager<WaitlistOffered>({
  name: 'ticketing-offer-emails',
  eventTypes: ['WaitlistOffered'] satisfies WaitlistOffered['type'][],
  emits: ['WaitlistOfferEmailed'] satisfies WaitlistOfferEmailed['type'][],
})
export class OfferEmailsProcessManager implements ProcessManager<WaitlistOffered> {
  constructor(private readonly commands: CommandBus) {}

  async handle(event: Recorded<WaitlistOffered>): Promise<void> {
    await this.commands.execute(new SendOfferEmailCommand(event));
  }
}
