import { defineQueries } from '@app/core';
import { type OrderRow, type OrderStatus, ordersProjection, type SubOrderRefRow } from './orders.projection';

export type { HistoryEntry, OrderRow, OrderStatus, SubOrderEntry, SubOrderRefRow } from './orders.projection';

/** A page of orders, newest first: at most `limit`, those placed before `createdBefore` (a position) when given; `more` when others follow. */
export interface OrderPage {
  rows: OrderRow[];
  more: boolean;
}

interface PageOptions {
  limit: number;
  createdBefore?: string;
}

export const ordersQueries = defineQueries(ordersProjection, ({ table }) => {
  const page = async (where: Partial<Pick<OrderRow, 'customer_id' | 'status'>>, { limit, createdBefore }: PageOptions): Promise<OrderPage> => {
    const query = table<OrderRow>('orders_orders').where(where);
    if (createdBefore !== undefined) query.where('created_position', '<', createdBefore);
    const rows: OrderRow[] = await query.orderBy('created_position', 'desc').limit(limit + 1);
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  };
  return {
    /** One order, or null for no such order. */
    byId: async (orderId: string): Promise<OrderRow | null> => (await table<OrderRow>('orders_orders').where({ order_id: orderId }).first()) ?? null,

    /** Several orders by id (those that exist), in no particular order. */
    byIds: async (orderIds: readonly string[]): Promise<OrderRow[]> => (orderIds.length === 0 ? [] : await table<OrderRow>('orders_orders').whereIn('order_id', orderIds)),

    /** A customer's orders, newest first (keyset pages on the (customer_id, created_position) index: an order never moves between pages). */
    pageOfCustomer: (customerId: string, options: PageOptions): Promise<OrderPage> => page({ customer_id: customerId }, options),

    /** Every order, or those in one status, newest first (keyset pages on created_position, or on (status, created_position)). */
    page: (status: OrderStatus | undefined, options: PageOptions): Promise<OrderPage> => page(status === undefined ? {} : { status }, options),

    /**
     * The sub-order of a provider with that id, or with that reference from the provider (its
     * submit's answer; unknown until the submit is recorded); null for none of that provider's.
     */
    subOrderOf: async (providerId: string, by: { subOrderId: string } | { providerRef: string }): Promise<SubOrderRefRow | null> => {
      const where = 'subOrderId' in by ? { provider_id: providerId, sub_order_id: by.subOrderId } : { provider_id: providerId, provider_ref: by.providerRef };
      return (await table<SubOrderRefRow>('orders_sub_orders').where(where).first()) ?? null;
    },
  };
});
