import { Command } from '@nestjs/cqrs';
import type { EventCodeSettings } from '@app/ledger/contract';
import type { EventCodeWritten } from '../register-event-code/register-event-code.command';

/** A PATCH of an event code: the settings it names, each to its new value. */
export class ChangeEventCodeCommand extends Command<EventCodeWritten> {
  constructor(
    readonly code: number,
    readonly changes: Partial<EventCodeSettings>,
  ) {
    super();
  }
}
