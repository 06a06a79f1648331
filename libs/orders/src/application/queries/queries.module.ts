import { Module } from '@nestjs/common';
import { SubOrderDirectory } from '../provider-updates/sub-order-directory';
import { GetOrderHandler } from './get-order/get-order.handler';
import { ListMyOrdersHandler } from './list-my-orders/list-my-orders.handler';
import { ListOrdersHandler } from './list-orders/list-orders.handler';
import { ListProvidersHandler } from './list-providers/list-providers.handler';
import { ReadModelSubOrderDirectory } from './read-model-sub-order-directory';

/** Delibery's query handlers, and the sub-order directory callbacks use (SubOrderDirectory), over its read models. */
@Module({
  providers: [ListProvidersHandler, ListMyOrdersHandler, ListOrdersHandler, GetOrderHandler, { provide: SubOrderDirectory, useClass: ReadModelSubOrderDirectory }],
  exports: [SubOrderDirectory],
})
export class OrdersQueriesModule {}
