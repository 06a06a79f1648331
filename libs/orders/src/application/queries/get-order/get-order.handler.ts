import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ConsistencyWaiter, NotFoundError, PLATFORM_CONFIG, type PlatformConfig, ReadModels } from '@app/core';
import { ordersProjection } from '@app/projections/orders/orders/orders.projection';
import { ordersQueries } from '@app/projections/orders/orders/orders.queries';
import { mayRead, orderView, type OrderView } from '../order-view';
import { GetOrderQuery } from './get-order.query';

/** Another customer's order is NOT_FOUND, exactly as an unknown id: nobody learns which ids exist. */
@Injectable()
@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(
    private readonly readModels: ReadModels,
    private readonly waiter: ConsistencyWaiter,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async execute({ orderId, asker, at }: GetOrderQuery): Promise<OrderView> {
    // The caller's own write: the read model alone has to reach it, not the reactions that follow.
    if (at !== undefined) await this.waiter.waitFor([ordersProjection], at, this.config.consistencyTimeoutMs, undefined, { throughReactions: false });
    const row = await this.readModels.use(ordersQueries).byId(orderId);
    if (!row || !mayRead(row, asker)) throw new NotFoundError('Order', orderId);
    return orderView(row);
  }
}
