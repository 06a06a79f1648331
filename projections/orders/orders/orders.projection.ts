import { defineProjection, type ProjectionContext, type Recorded } from '@app/core';
import type {
  OrderCancelled,
  OrderCancelRequested,
  OrderedItem,
  OrderPlaced,
  SubOrderCancelFailed,
  SubOrderCancelled,
  SubOrderStatus,
  SubOrderStatusReported,
  SubOrderSubmitFailed,
  SubOrderSubmitted,
  SubOrderTimedOut,
} from '@app/orders/contract';

export type OrderStatus = 'placed' | 'confirmed' | 'preparing' | 'ready' | 'delivering' | 'delivered' | 'cancelling' | 'cancelled';

/** One sub-order as the order's row holds it: its provider, its status now, and the calls made to the provider. */
export interface SubOrderEntry {
  subOrderId: string;
  providerId: string;
  providerName: string;
  status: SubOrderStatus;
  providerRef: string | null;
  /** Calls made to the provider: each submit and each cancel, failed or not. */
  attempts: number;
  /** The last call's error while it failed; null once one succeeded. */
  lastError: string | null;
  updatedAt: string;
}

/** One change: the order's status (no subOrderId) or a sub-order's (with it; `ignored` for an update that would have moved it backwards). */
export interface HistoryEntry {
  at: string;
  status: OrderStatus | SubOrderStatus;
  subOrderId?: string;
  ignored?: true;
}

/**
 * A row of `orders_orders`: one order as it is now, with its sub-orders and its history in log
 * order. `position`: the last event applied to it (each one changes something: a status, an
 * attempt, a history entry), so a client can tell a newer answer from an older one.
 */
export interface OrderRow {
  order_id: string;
  customer_id: string;
  status: OrderStatus;
  /** Cents, as PostgreSQL returns a bigint: a string. */
  total_cents: string;
  delivery_address: string;
  items: OrderedItem[];
  sub_orders: SubOrderEntry[];
  history: HistoryEntry[];
  cancel_requested: boolean;
  cancelled: boolean;
  created_at: Date;
  /** The position of its OrderPlaced: lists page newest first by it. */
  created_position: string;
  position: string;
}

/** A row of `orders_sub_orders`: where a provider's callback points, by the sub-order's id or by the provider's reference. */
export interface SubOrderRefRow {
  sub_order_id: string;
  order_id: string;
  provider_id: string;
  provider_ref: string | null;
}

export type OrdersReadEvent =
  | OrderPlaced
  | OrderCancelRequested
  | OrderCancelled
  | SubOrderSubmitted
  | SubOrderSubmitFailed
  | SubOrderStatusReported
  | SubOrderTimedOut
  | SubOrderCancelFailed
  | SubOrderCancelled;

type OrdersTable = 'orders_orders' | 'orders_sub_orders';

/*
 * The order's status rules, as Delibery's domain states them (libs/orders/src/domain/sub-order-status.ts,
 * `orderStatus`). A projection imports only contracts, and the rules are not (yet) published in the
 * contract, so they are repeated here; orders.projection.spec.ts checks this copy against the
 * domain's for every combination of up to three sub-orders, so the two cannot drift apart.
 */
const ORDER_RANK: Record<OrderStatus, number> = { placed: 0, confirmed: 1, preparing: 2, ready: 3, delivering: 4, delivered: 5, cancelling: 6, cancelled: 7 };

export function orderStatusOf(
  subOrders: readonly SubOrderStatus[],
  { cancelRequested, cancelled, previous }: { cancelRequested: boolean; cancelled: boolean; previous?: OrderStatus },
): OrderStatus {
  const derived = ((): OrderStatus => {
    if (cancelled) return 'cancelled';
    if (cancelRequested || subOrders.some((s) => s === 'rejected' || s === 'timed_out' || s === 'cancelled')) return 'cancelling';
    if (subOrders.every((s) => s === 'delivered')) return 'delivered';
    if (subOrders.some((s) => s === 'picked_up' || s === 'delivered')) return 'delivering';
    if (subOrders.every((s) => s === 'ready')) return 'ready';
    if (subOrders.some((s) => s === 'preparing' || s === 'ready')) return 'preparing';
    if (subOrders.every((s) => s !== 'pending')) return 'confirmed';
    return 'placed';
  })();
  return previous !== undefined && ORDER_RANK[previous] > ORDER_RANK[derived] ? previous : derived;
}

/** The order's row after one event (the row before it; undefined: none yet). Pure: every value comes from the events. */
export function evolveOrder(row: OrderRow | undefined, event: Recorded<OrdersReadEvent>): OrderRow | undefined {
  if (event.type === 'OrderPlaced') {
    if (row) return row;
    const { data } = event;
    return {
      order_id: data.orderId,
      customer_id: data.customerId,
      status: 'placed',
      total_cents: String(data.totalCents),
      delivery_address: data.deliveryAddress,
      items: data.items,
      sub_orders: data.subOrders.map((sub) => ({
        subOrderId: sub.subOrderId,
        providerId: sub.providerId,
        providerName: sub.providerName,
        status: 'pending',
        providerRef: null,
        attempts: 0,
        lastError: null,
        updatedAt: data.placedAt,
      })),
      history: [{ at: data.placedAt, status: 'placed' }, ...data.subOrders.map((sub): HistoryEntry => ({ at: data.placedAt, status: 'pending', subOrderId: sub.subOrderId }))],
      cancel_requested: false,
      cancelled: false,
      created_at: new Date(data.placedAt),
      created_position: event.position,
      position: event.position,
    };
  }
  // The order's other events all come after its OrderPlaced in the log.
  if (!row) return row;
  const history = [...row.history];
  let { sub_orders: subOrders, cancel_requested: cancelRequested, cancelled } = row;
  let at: string;
  const sub = (subOrderId: string, change: (entry: SubOrderEntry) => SubOrderEntry) => {
    subOrders = subOrders.map((entry) => (entry.subOrderId === subOrderId ? change(entry) : entry));
  };
  switch (event.type) {
    case 'OrderCancelRequested':
      at = event.data.requestedAt;
      cancelRequested = true;
      break;
    case 'OrderCancelled':
      at = event.data.cancelledAt;
      cancelled = true;
      break;
    case 'SubOrderSubmitted':
      at = event.data.submittedAt;
      sub(event.data.subOrderId, (entry) => ({ ...entry, providerRef: event.data.providerRef, attempts: entry.attempts + 1, lastError: null, updatedAt: at }));
      break;
    case 'SubOrderSubmitFailed':
      at = event.data.failedAt;
      sub(event.data.subOrderId, (entry) => ({ ...entry, attempts: entry.attempts + 1, lastError: event.data.error, updatedAt: at }));
      break;
    case 'SubOrderStatusReported': {
      const { subOrderId, status, ignored, receivedAt } = event.data;
      at = receivedAt;
      if (ignored) history.push({ at, status, subOrderId, ignored: true });
      else {
        sub(subOrderId, (entry) => ({ ...entry, status, updatedAt: at }));
        history.push({ at, status, subOrderId });
      }
      break;
    }
    case 'SubOrderTimedOut':
      at = event.data.timedOutAt;
      sub(event.data.subOrderId, (entry) => ({ ...entry, status: 'timed_out', updatedAt: at }));
      history.push({ at, status: 'timed_out', subOrderId: event.data.subOrderId });
      break;
    case 'SubOrderCancelFailed':
      at = event.data.failedAt;
      sub(event.data.subOrderId, (entry) => ({ ...entry, attempts: entry.attempts + 1, lastError: event.data.error, updatedAt: at }));
      break;
    case 'SubOrderCancelled':
      at = event.data.cancelledAt;
      sub(event.data.subOrderId, (entry) => ({ ...entry, status: 'cancelled', attempts: entry.attempts + 1, lastError: null, updatedAt: at }));
      history.push({ at, status: 'cancelled', subOrderId: event.data.subOrderId });
      break;
  }
  const status = orderStatusOf(
    subOrders.map((entry) => entry.status),
    { cancelRequested, cancelled, previous: row.status },
  );
  if (status !== row.status) history.push({ at, status });
  return { ...row, status, sub_orders: subOrders, history, cancel_requested: cancelRequested, cancelled, position: event.position };
}

/** PostgreSQL takes at most 65,535 parameters in one statement. */
const ORDERS_PER_INSERT = Math.floor(65_535 / 13);
const REFS_PER_INSERT = Math.floor(65_535 / 4);

/**
 * Every order as its customer and an admin read it (status from the sub-orders by the domain's
 * rules, never backwards; sub-orders with their calls; history in log order), and each sub-order's
 * provider reference, for the callbacks that name only that. A batch loads the orders it touches in
 * one query, folds its events into them in log order (`evolveOrder`), and writes them back with one
 * multi-row upsert per table.
 */
export const ordersProjection = defineProjection<OrdersReadEvent, OrdersTable>({
  name: 'orders_orders',
  version: 1,
  tables: {
    orders_orders: (t) => {
      t.uuid('order_id').primary();
      t.text('customer_id').notNullable();
      t.text('status').notNullable();
      t.bigInteger('total_cents').notNullable();
      t.text('delivery_address').notNullable();
      t.jsonb('items').notNullable();
      t.jsonb('sub_orders').notNullable();
      t.jsonb('history').notNullable();
      t.boolean('cancel_requested').notNullable();
      t.boolean('cancelled').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.text('created_position').notNullable();
      t.text('position').notNullable();
      t.index(['customer_id', 'created_position']);
      t.index(['status', 'created_position']);
      t.index(['created_position']);
    },
    orders_sub_orders: (t) => {
      t.uuid('sub_order_id').primary();
      t.uuid('order_id').notNullable();
      t.uuid('provider_id').notNullable();
      t.text('provider_ref');
      t.index(['provider_id', 'provider_ref']);
    },
  },
  eventTypes: [
    'OrderPlaced',
    'OrderCancelRequested',
    'OrderCancelled',
    'SubOrderSubmitted',
    'SubOrderSubmitFailed',
    'SubOrderStatusReported',
    'SubOrderTimedOut',
    'SubOrderCancelFailed',
    'SubOrderCancelled',
  ],
  apply: applyBatch,
});

async function applyBatch(events: readonly Recorded<OrdersReadEvent>[], { trx, tableName }: ProjectionContext<OrdersTable>): Promise<void> {
  const orders = tableName('orders_orders');
  const refs = tableName('orders_sub_orders');
  const ids = [...new Set(events.map((event) => event.data.orderId))];
  const rows = new Map<string, OrderRow>();
  for (const row of (await trx(orders).whereIn('order_id', ids)) as OrderRow[]) rows.set(row.order_id, row);
  const changed = new Set<string>();
  for (const event of events) {
    const before = rows.get(event.data.orderId);
    const after = evolveOrder(before, event);
    if (after && after !== before) {
      rows.set(after.order_id, after);
      changed.add(after.order_id);
    }
  }
  const written = [...changed].map((id) => rows.get(id)!);
  for (let from = 0; from < written.length; from += ORDERS_PER_INSERT) {
    const chunk = written.slice(from, from + ORDERS_PER_INSERT).map((row) => ({
      ...row,
      // jsonb columns take their arrays as JSON text (the driver would send a JavaScript array as a PostgreSQL array).
      items: JSON.stringify(row.items),
      sub_orders: JSON.stringify(row.sub_orders),
      history: JSON.stringify(row.history),
    }));
    await trx(orders).insert(chunk).onConflict('order_id').merge();
  }
  const refRows = written.flatMap((row) =>
    row.sub_orders.map((sub): SubOrderRefRow => ({ sub_order_id: sub.subOrderId, order_id: row.order_id, provider_id: sub.providerId, provider_ref: sub.providerRef })),
  );
  for (let from = 0; from < refRows.length; from += REFS_PER_INSERT) {
    await trx(refs).insert(refRows.slice(from, from + REFS_PER_INSERT)).onConflict('sub_order_id').merge();
  }
}
