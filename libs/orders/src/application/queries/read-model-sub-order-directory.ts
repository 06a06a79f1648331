import { Inject, Injectable } from '@nestjs/common';
import { CommandRunner, ConsistencyWaiter, PLATFORM_CONFIG, type PlatformConfig, ReadModels } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { ordersProjection } from '@app/projections/orders/orders/orders.projection';
import { ordersQueries, type SubOrderRefRow } from '@app/projections/orders/orders/orders.queries';
import type { SubOrderSubmitted } from '../../contract/orders.events';
import { subOrderDecider, subOrderStream } from '../../domain/sub-order.decider';
import { type SubOrderLocation, SubOrderDirectory } from '../provider-updates/sub-order-directory';

const SUBMITTED = ['SubOrderSubmitted'] satisfies SubOrderSubmitted['type'][];

/**
 * Finds a callback's sub-order in the orders read model (`orders_sub_orders`): by its id, or by the
 * provider's reference among that provider's sub-orders. A miss is looked up once more after the
 * read model has caught up with every submit recorded so far, so a callback that comes right after
 * its submit was recorded is not refused for the read model's lag. A sub-order id the read model has
 * not applied yet is read from its own stream.
 */
@Injectable()
export class ReadModelSubOrderDirectory extends SubOrderDirectory {
  constructor(
    private readonly readModels: ReadModels,
    private readonly commands: CommandRunner,
    private readonly waiter: ConsistencyWaiter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    super();
  }

  async locate(providerId: string, by: { subOrderId?: string; providerRef?: string }): Promise<SubOrderLocation | null> {
    if (by.subOrderId !== undefined) {
      const row = await this.readModels.use(ordersQueries).subOrderOf(providerId, { subOrderId: by.subOrderId });
      if (row) return location(row);
      const { state } = await this.commands.load(subOrderDecider, subOrderStream(by.subOrderId));
      return state.orderId && state.providerId === providerId ? { subOrderId: by.subOrderId, orderId: state.orderId, providerId } : null;
    }
    if (by.providerRef === undefined) return null;
    const ref = { providerRef: by.providerRef };
    const found = await this.readModels.use(ordersQueries).subOrderOf(providerId, ref);
    if (found) return location(found);
    const head = await this.store.headPosition({ eventTypes: SUBMITTED });
    if (head === null) return null;
    await this.waiter.waitFor([ordersProjection], head, this.config.consistencyTimeoutMs, undefined, { throughReactions: false });
    const again = await this.readModels.use(ordersQueries).subOrderOf(providerId, ref);
    return again ? location(again) : null;
  }
}

function location(row: SubOrderRefRow): SubOrderLocation {
  return { subOrderId: row.sub_order_id, orderId: row.order_id, providerId: row.provider_id };
}
