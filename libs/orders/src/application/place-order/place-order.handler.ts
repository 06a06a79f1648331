import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import type { OrderedItem, SubOrderPlan } from '../../contract/orders.events';
import { formatCents } from '../../domain/money';
import { orderDecider, orderStream } from '../../domain/order.decider';
import { UnknownItem } from '../../domain/orders.errors';
import { providerDecider, providerStream } from '../../domain/provider.decider';
import { type PlacedOrder, PlaceOrderCommand } from './place-order.command';

/**
 * Places an order: each item priced from its provider's menu as it is now (read in one round trip
 * for every provider named), the price recorded in the event, and the order split into one
 * sub-order per provider. The fulfilment workflow takes it from there.
 */
@Injectable()
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ customerId, items, deliveryAddress }: PlaceOrderCommand): Promise<PlacedOrder> {
    const providerIds = [...new Set(items.map((item) => item.providerId))];
    const loaded = await this.commands.loadAll(providerIds.map((id) => ({ decider: providerDecider, streamName: providerStream(id) })));
    const providers = new Map(providerIds.map((id, i) => [id, loaded[i].state]));
    const unknown = items.filter((item) => !providers.get(item.providerId)?.menu.some((entry) => entry.sku === item.sku));
    if (unknown.length > 0) throw new UnknownItem(unknown.map(({ providerId, sku }) => ({ providerId, sku })));
    const ordered: OrderedItem[] = items.map(({ providerId, sku, quantity }) => {
      const entry = providers.get(providerId)!.menu.find((item) => item.sku === sku)!;
      return { providerId, sku, name: entry.name, priceCents: entry.priceCents, quantity };
    });
    const subOrders: SubOrderPlan[] = providerIds.map((providerId) => {
      const provider = providers.get(providerId)!.provider!;
      return {
        subOrderId: randomUUID(),
        providerId,
        providerName: provider.name,
        adapter: provider.adapter,
        acceptTimeoutSeconds: provider.acceptTimeoutSeconds,
        items: ordered.filter((item) => item.providerId === providerId),
      };
    });
    const orderId = randomUUID();
    const totalCents = ordered.reduce((sum, item) => sum + item.priceCents * item.quantity, 0);
    const { position } = await this.commands.run(
      orderDecider,
      orderStream(orderId),
      { type: 'PlaceOrder', data: { orderId, customerId, deliveryAddress, items: ordered, totalCents, subOrders, placedAt: this.clock.now().toISOString() } },
      { newStream: true },
    );
    return {
      orderId,
      status: 'placed',
      total: formatCents(totalCents),
      subOrders: subOrders.map(({ subOrderId, providerId }) => ({ subOrderId, providerId, status: 'pending' })),
      position: position!,
    };
  }
}
