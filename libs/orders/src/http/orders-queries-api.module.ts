import { Module } from '@nestjs/common';

/** Delibery's query endpoints (providers, orders, an order's live events) and the cancel, which answers the order. */
@Module({ controllers: [] })
export class OrdersQueriesApiModule {}
