import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner, NotFoundError } from '@app/core';
import type { Position } from '@app/eventstore';
import { orderDecider, orderStream } from '../../domain/order.decider';
import { subOrderDecider, subOrderStream } from '../../domain/sub-order.decider';
import { CancelOrderCommand } from './cancel-order.command';

/**
 * The customer's (or an admin's) cancel: refused once a sub-order is picked up (the sub-orders are
 * read just before, in one round trip), else recorded; the fulfilment workflow then cancels every
 * sub-order at its provider and the order ends `cancelled`. Another customer's order is NOT_FOUND.
 */
@Injectable()
@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ orderId, asker }: CancelOrderCommand): Promise<{ orderId: string; position: Position }> {
    const { state } = await this.commands.load(orderDecider, orderStream(orderId));
    if (!state.order || (state.order.customerId !== asker.userId && asker.role !== 'admin')) throw new NotFoundError('Order', orderId);
    const subs = await this.commands.loadAll(state.order.subOrders.map((sub) => ({ decider: subOrderDecider, streamName: subOrderStream(sub.subOrderId) })));
    const { position } = await this.commands.run(orderDecider, orderStream(orderId), {
      type: 'CancelOrder',
      data: {
        orderId,
        requestedBy: asker.userId,
        requestedAt: this.clock.now().toISOString(),
        subOrders: state.order.subOrders.map((sub, i) => ({ subOrderId: sub.subOrderId, status: subs[i].state.status })),
      },
    });
    return { orderId, position: position! };
  }
}
