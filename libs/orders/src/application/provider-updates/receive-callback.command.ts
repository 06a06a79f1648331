import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';
import type { ProviderStatus } from '../../contract/orders.events';

export interface CallbackBody {
  eventId: string;
  providerRef?: string;
  subOrderId?: string;
  status: ProviderStatus;
  at: string;
}

/** A provider's signed callback: the raw body as sent (what the signature covers), its signature header, and the body read. */
export class ReceiveCallbackCommand extends Command<{ recorded: boolean; position: Position | null }> {
  constructor(
    readonly providerId: string,
    readonly rawBody: Buffer,
    readonly signature: string | undefined,
    readonly body: CallbackBody,
  ) {
    super();
  }
}
