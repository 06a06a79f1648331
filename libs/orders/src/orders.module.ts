import { Module } from '@nestjs/common';
import { CancelOrderHandler } from './application/cancel-order/cancel-order.handler';
import { PlaceOrderHandler } from './application/place-order/place-order.handler';
import { ReceiveCallbackHandler } from './application/provider-updates/receive-callback.handler';
import { ReportProviderStatusHandler } from './application/provider-updates/report-provider-status.handler';
import { RegisterProviderHandler, SetMenuHandler } from './application/providers/providers.handlers';
import { OrdersQueriesModule } from './application/queries/queries.module';

/** Delibery's handlers: providers and menus, orders, and the updates providers report. */
@Module({
  imports: [OrdersQueriesModule],
  providers: [RegisterProviderHandler, SetMenuHandler, PlaceOrderHandler, CancelOrderHandler, ReportProviderStatusHandler, ReceiveCallbackHandler],
  exports: [OrdersQueriesModule],
})
export class OrdersModule {}
