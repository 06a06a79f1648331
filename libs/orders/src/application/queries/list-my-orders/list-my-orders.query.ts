import { Query } from '@nestjs/cqrs';
import type { OrderPage } from '../order-view';

/** A customer's orders, newest first, a page at a time. */
export class ListMyOrdersQuery extends Query<OrderPage> {
  constructor(
    readonly customerId: string,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}
