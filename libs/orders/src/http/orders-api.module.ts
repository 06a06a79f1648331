import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders.module';
import { OrdersController } from './orders.controller';
import { OrdersQueriesApiModule } from './orders-queries-api.module';

/** Delibery as the HTTP app serves it. */
@Module({ imports: [OrdersModule, OrdersQueriesApiModule], controllers: [OrdersController] })
export class OrdersApiModule {}
