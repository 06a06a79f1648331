import { Query } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';
import type { Asker, OrderView } from '../order-view';

/**
 * One order, for its customer or an admin (anyone else is told it does not exist). `at`: a
 * position the caller wrote itself (a cancel's), to answer the order as it is at least there.
 */
export class GetOrderQuery extends Query<OrderView> {
  constructor(
    readonly orderId: string,
    readonly asker: Asker,
    readonly at?: Position,
  ) {
    super();
  }
}
