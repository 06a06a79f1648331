import { Command } from '@nestjs/cqrs';
import type { EventCodeSettings } from '@app/ledger/contract';
import type { Position } from '@app/eventstore';

export interface EventCodeWritten {
  code: number;
  position: Position;
}

export class RegisterEventCodeCommand extends Command<EventCodeWritten> {
  constructor(
    readonly code: number,
    readonly settings: EventCodeSettings,
  ) {
    super();
  }
}
