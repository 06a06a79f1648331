import { Module } from '@nestjs/common';
import { OrderUpdatesFeed } from '../application/queries/order-updates/order-updates-feed';
import { OrdersQueriesController } from './orders-queries.controller';

/** Delibery's query endpoints (providers, orders, an order's live events) and the cancel, which answers the order. */
@Module({ controllers: [OrdersQueriesController], providers: [OrderUpdatesFeed] })
export class OrdersQueriesApiModule {}
