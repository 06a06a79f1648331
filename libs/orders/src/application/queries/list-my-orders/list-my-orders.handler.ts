import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '@app/core';
import { ordersQueries } from '@app/projections/orders/orders/orders.queries';
import { decodeOrdersCursor, encodeOrdersCursor } from '../cursors';
import { type OrderPage, orderView } from '../order-view';
import { ListMyOrdersQuery } from './list-my-orders.query';

/** Keyset pages on the position of each OrderPlaced, newest first: an order never moves between pages. */
@Injectable()
@QueryHandler(ListMyOrdersQuery)
export class ListMyOrdersHandler implements IQueryHandler<ListMyOrdersQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ customerId, limit, cursor }: ListMyOrdersQuery): Promise<OrderPage> {
    const { rows, more } = await this.readModels
      .use(ordersQueries)
      .pageOfCustomer(customerId, { limit, createdBefore: cursor === undefined ? undefined : decodeOrdersCursor(cursor) });
    return { items: rows.map(orderView), nextCursor: more ? encodeOrdersCursor(rows[rows.length - 1].created_position) : null };
  }
}
