import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '@app/core';
import { ordersQueries } from '@app/projections/orders/orders/orders.queries';
import { decodeOrdersCursor, encodeOrdersCursor } from '../cursors';
import { type OrderPage, orderView } from '../order-view';
import { ListOrdersQuery } from './list-orders.query';

/** Keyset pages on the position of each OrderPlaced, newest first (within a status when one is given). */
@Injectable()
@QueryHandler(ListOrdersQuery)
export class ListOrdersHandler implements IQueryHandler<ListOrdersQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ status, limit, cursor }: ListOrdersQuery): Promise<OrderPage> {
    const { rows, more } = await this.readModels.use(ordersQueries).page(status, { limit, createdBefore: cursor === undefined ? undefined : decodeOrdersCursor(cursor) });
    return { items: rows.map(orderView), nextCursor: more ? encodeOrdersCursor(rows[rows.length - 1].created_position) : null };
  }
}
