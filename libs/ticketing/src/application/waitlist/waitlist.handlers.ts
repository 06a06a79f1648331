import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, NotFoundError } from '@app/core';
import type { Position } from '@app/eventstore';
import { ShowLocator } from '../reservation-locator';
import { Shows } from '../shows';
import { type JoinedWaitlist, JoinWaitlistCommand, LeaveWaitlistCommand } from './waitlist.commands';

/** Joins a show's waitlist: refused while enough seats are free to reserve directly. */
@Injectable()
@CommandHandler(JoinWaitlistCommand)
export class JoinWaitlistHandler implements ICommandHandler<JoinWaitlistCommand> {
  constructor(
    private readonly shows: Shows,
    private readonly locator: ShowLocator,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ showId, customerId, quantity }: JoinWaitlistCommand): Promise<JoinedWaitlist> {
    const waitlistId = randomUUID();
    const { state, position } = await this.shows.run(showId, { type: 'JoinWaitlist', data: { showId, waitlistId, customerId, quantity, now: this.clock.now().toISOString() } });
    this.locator.remember(waitlistId, showId);
    return { waitlistId, place: state.waitlist.get(waitlistId)!.place, position: position! };
  }
}

/** Leaves a waitlist (its customer only; another's entry is NOT_FOUND). Leaving an entry that is no longer waiting changes nothing. */
@Injectable()
@CommandHandler(LeaveWaitlistCommand)
export class LeaveWaitlistHandler implements ICommandHandler<LeaveWaitlistCommand> {
  constructor(
    private readonly shows: Shows,
    private readonly locator: ShowLocator,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ waitlistId, customerId }: LeaveWaitlistCommand): Promise<{ position: Position }> {
    const showId = await this.locator.waitlistEntry(waitlistId);
    const entry = showId ? (await this.shows.load(showId)).state.waitlist.get(waitlistId) : undefined;
    if (!showId || !entry || entry.customerId !== customerId) throw new NotFoundError('Waitlist entry', waitlistId);
    const { position } = await this.shows.run(showId, { type: 'LeaveWaitlist', data: { waitlistId, now: this.clock.now().toISOString() } });
    return { position: position! };
  }
}
