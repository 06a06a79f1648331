import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';

export interface RegisteredWebhook {
  webhookId: string;
  position: Position;
}

/** Every posting applied from now on is POSTed to `url`, signed with `secret`. */
export class RegisterWebhookCommand extends Command<RegisteredWebhook> {
  constructor(
    readonly url: string,
    readonly secret: string,
  ) {
    super();
  }
}
