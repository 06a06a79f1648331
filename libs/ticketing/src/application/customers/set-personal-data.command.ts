import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';
import type { PersonalDetails } from './personal-data-cipher';

/** The customer's personal data as they set it, and the position of the event that stores it (encrypted). */
export interface PersonalDataSet extends PersonalDetails {
  userId: string;
  position: Position;
}

/** Sets (or replaces) a customer's personal data for tickets; it is encrypted before it reaches the log. */
export class SetPersonalDataCommand extends Command<PersonalDataSet> {
  constructor(
    readonly userId: string,
    readonly details: PersonalDetails,
  ) {
    super();
  }
}
