import { Module } from '@nestjs/common';
import { HttpProviderAdapter } from './application/adapters/http-provider.adapter';
import { ProviderAdapters, type ProviderAdapter } from './application/adapters/provider-adapter';
import { ProviderMetrics } from './application/adapters/provider-metrics';
import { SimulatedProviderAdapter } from './application/adapters/simulated-provider.adapter';
import { SimulatedProviderWorkflow } from './application/adapters/simulated-provider.workflow';
import {
  CancelSubOrderHandler,
  CompleteCancellationHandler,
  PollSubOrderHandler,
  SubmitSubOrderHandler,
  TimeOutSubOrderHandler,
} from './application/fulfilment/fulfilment.handlers';
import { FulfilmentWorkflow } from './application/fulfilment/fulfilment.workflow';
import { SubOrders } from './application/fulfilment/sub-orders';
import { OrdersModule } from './orders.module';

/** The adapter classes, one per kind of provider; a new kind is one more class here. */
const ADAPTER_CLASSES = [SimulatedProviderAdapter, HttpProviderAdapter];

/** Delibery as the worker runs it: the fulfilment workflow, the provider adapters, the simulated provider. */
@Module({
  imports: [OrdersModule],
  providers: [
    ProviderMetrics,
    ...ADAPTER_CLASSES,
    { provide: ProviderAdapters, inject: ADAPTER_CLASSES, useFactory: (...adapters: ProviderAdapter[]) => new ProviderAdapters(adapters) },
    SubOrders,
    SubmitSubOrderHandler,
    CancelSubOrderHandler,
    PollSubOrderHandler,
    TimeOutSubOrderHandler,
    CompleteCancellationHandler,
    FulfilmentWorkflow,
    SimulatedProviderWorkflow,
  ],
  exports: [FulfilmentWorkflow, SimulatedProviderWorkflow],
})
export class OrdersWorkerModule {}
