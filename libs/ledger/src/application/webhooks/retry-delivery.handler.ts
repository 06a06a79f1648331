import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner, NotFoundError, ReadModels } from '@app/core';
import { webhooksQueries } from '@app/projections/ledger/webhooks/webhooks.queries';
import { deliveryDecider, deliveryStream } from '../../domain/webhook.decider';
import { RetryDeliveryCommand } from './retry-delivery.command';

/**
 * A delivery exists once the deliveries read model has it (its posting was applied after its
 * webhook was registered); the retry itself is decided on the delivery's stream, so a delivery
 * delivered a moment ago (its outcome not in the read model yet) is still refused.
 */
@Injectable()
@CommandHandler(RetryDeliveryCommand)
export class RetryDeliveryHandler implements ICommandHandler<RetryDeliveryCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ webhookId, deliveryId }: RetryDeliveryCommand): Promise<{ deliveryId: string; position: string }> {
    const delivery = await this.readModels.use(webhooksQueries).delivery(webhookId, deliveryId);
    if (!delivery) throw new NotFoundError('Delivery', deliveryId);
    const { position } = await this.commands.run(deliveryDecider, deliveryStream(deliveryId), {
      type: 'RequestDeliveryRetry',
      data: { deliveryId, webhookId, traceKey: delivery.trace_key, requestedAt: this.clock.now().toISOString() },
    });
    return { deliveryId, position: position! };
  }
}
