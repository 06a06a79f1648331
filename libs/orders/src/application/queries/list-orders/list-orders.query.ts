import { Query } from '@nestjs/cqrs';
import type { OrderStatus } from '@app/projections/orders/orders/orders.queries';
import type { OrderPage } from '../order-view';

/** Every order (an admin's view), or those in one status, newest first, a page at a time. */
export class ListOrdersQuery extends Query<OrderPage> {
  constructor(
    readonly status: OrderStatus | undefined,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}
