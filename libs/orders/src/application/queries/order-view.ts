import type { HistoryEntry, OrderRow, OrderStatus } from '@app/projections/orders/orders/orders.queries';
import type { SubOrderStatus } from '../../contract/orders.events';
import { formatCents } from '../../domain/money';

/** An order as the API answers it (`Order` of the contract): prices and total as decimal strings. */
export interface OrderView {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  total: string;
  deliveryAddress: string;
  items: { providerId: string; sku: string; name: string; price: string; quantity: number }[];
  subOrders: {
    subOrderId: string;
    providerId: string;
    providerName: string;
    status: SubOrderStatus;
    providerRef: string | null;
    attempts: number;
    lastError: string | null;
    updatedAt: string;
  }[];
  history: HistoryEntry[];
  createdAt: string;
  /** The last event the order reflects: pass as `after` to a query to read at least this. */
  position: string;
}

/** A page of orders, newest first. */
export interface OrderPage {
  items: OrderView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Who asks: an order is its customer's, or any admin's to read and cancel. */
export interface Asker {
  userId: string;
  role: string;
}

export function mayRead(row: Pick<OrderRow, 'customer_id'>, asker: Asker): boolean {
  return row.customer_id === asker.userId || asker.role === 'admin';
}

/** A row of the orders read model as the API answers it, keys in the contract's order. */
export function orderView(row: OrderRow): OrderView {
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    status: row.status,
    total: formatCents(BigInt(row.total_cents)),
    deliveryAddress: row.delivery_address,
    items: row.items.map((item) => ({ providerId: item.providerId, sku: item.sku, name: item.name, price: formatCents(item.priceCents), quantity: item.quantity })),
    subOrders: row.sub_orders.map((sub) => ({
      subOrderId: sub.subOrderId,
      providerId: sub.providerId,
      providerName: sub.providerName,
      status: sub.status,
      providerRef: sub.providerRef,
      attempts: sub.attempts,
      lastError: sub.lastError,
      updatedAt: sub.updatedAt,
    })),
    history: row.history.map((entry) => ({
      at: entry.at,
      status: entry.status,
      ...(entry.subOrderId === undefined ? {} : { subOrderId: entry.subOrderId }),
      ...(entry.ignored ? { ignored: true as const } : {}),
    })),
    createdAt: row.created_at.toISOString(),
    position: row.position,
  };
}
