import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';
import type { SeatMapSection } from '../../contract/ticketing.events';

export interface NewShow {
  title: string;
  venue: string;
  startsAt: string;
  holdSeconds: number;
  sections: SeatMapSection[];
}

export interface CreatedShow {
  showId: string;
  seats: number;
  position: Position;
}

export class CreateShowCommand extends Command<CreatedShow> {
  constructor(
    readonly show: NewShow,
    readonly createdBy: string,
  ) {
    super();
  }
}
