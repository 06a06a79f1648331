import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';

export interface PlacedOrder {
  orderId: string;
  status: 'placed';
  total: string;
  subOrders: { subOrderId: string; providerId: string; status: 'pending' }[];
  position: Position;
}

export class PlaceOrderCommand extends Command<PlacedOrder> {
  constructor(
    readonly customerId: string,
    readonly items: readonly { providerId: string; sku: string; quantity: number }[],
    readonly deliveryAddress: string,
  ) {
    super();
  }
}
