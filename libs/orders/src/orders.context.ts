import { defineContext } from '@app/core';
import { SimulatedProviderWorkflow } from './application/adapters/simulated-provider.workflow';
import { FulfilmentWorkflow } from './application/fulfilment/fulfilment.workflow';
import { loadOrdersConfig, ORDERS_CONFIG } from './application/orders.config';
import * as ordersErrors from './domain/orders.errors';
import { OrdersApiModule } from './http/orders-api.module';
import { OrdersWorkerModule } from './orders-worker.module';
import { ORDERS_PROJECTIONS } from './orders.projections';

/**
 * Delibery: a customer's order across several providers (restaurants), split into one sub-order
 * per provider, each carried out through that provider's adapter, with one central status; a
 * rejected or late sub-order, or the customer's cancel, cancels the others (compensation).
 */
export const ordersContext = defineContext({
  name: 'orders',
  apiTags: { orders: 'Delibery: providers and menus, orders split across providers, one central status' },
  apiModule: OrdersApiModule,
  workerModule: OrdersWorkerModule,
  projections: ORDERS_PROJECTIONS,
  processManagers: [],
  workflows: [FulfilmentWorkflow, SimulatedProviderWorkflow],
  cliCommands: [],
  errors: Object.values(ordersErrors),
  config: { token: ORDERS_CONFIG, load: (env) => loadOrdersConfig(env) },
});
