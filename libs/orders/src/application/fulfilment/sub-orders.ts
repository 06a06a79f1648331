import { Injectable } from '@nestjs/common';
import { CommandRunner, NotFoundError } from '@app/core';
import type { SubOrderPlan } from '../../contract/orders.events';
import { orderDecider, type OrderState, orderStream } from '../../domain/order.decider';
import { providerDecider, providerStream } from '../../domain/provider.decider';
import { subOrderDecider, type SubOrderState, subOrderStream } from '../../domain/sub-order.decider';
import type { ProviderInfo } from '../adapters/provider-adapter';

/** A sub-order with what a call to its provider needs: its order, its plan, its provider, its state. */
export interface SubOrderContext {
  order: NonNullable<OrderState['order']>;
  plan: SubOrderPlan;
  provider: ProviderInfo;
  state: SubOrderState;
}

/** Reads what the fulfilment commands act on, in one round trip for the three streams. */
@Injectable()
export class SubOrders {
  constructor(private readonly commands: CommandRunner) {}

  async load(orderId: string, subOrderId: string): Promise<SubOrderContext> {
    const [order] = await this.commands.loadAll([{ decider: orderDecider, streamName: orderStream(orderId) }]);
    const plan = order.state.order?.subOrders.find((sub) => sub.subOrderId === subOrderId);
    if (!order.state.order || !plan) throw new NotFoundError('Sub-order', subOrderId);
    const [provider, sub] = await this.commands.loadAll([
      { decider: providerDecider, streamName: providerStream(plan.providerId) },
      { decider: subOrderDecider, streamName: subOrderStream(subOrderId) },
    ] as const);
    if (!provider.state.provider) throw new NotFoundError('Provider', plan.providerId);
    return { order: order.state.order, plan, provider: provider.state.provider, state: sub.state };
  }
}
