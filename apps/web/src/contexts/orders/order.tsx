import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, type Page as ApiPage, subscribe } from '../../api';
import { Link } from '../../router';
import { Button, ErrorMessage, formatInstant, Loaded, Page, Pager, Section, Status, Table, useCommand, usePager } from '../../ui';
import { CANCELLABLE, type Order } from './model';

const PAGE_SIZE = 20;

/** The later of two states of an order: its history only grows, so the longer one (the stream's on a tie). */
function later(a: Order | null | undefined, b: Order | null | undefined): Order | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return b.history.length >= a.history.length ? b : a;
}

/** An order as GET /orders/:orderId answers it, then as each `order.updated` of its event stream has it. */
function useLiveOrder(orderId: string) {
  const query = useQuery({ queryKey: ['orders', 'order', orderId], queryFn: () => api.get<Order>(`/orders/${orderId}`) });
  const [live, setLive] = useState<Order | null>(null);
  const [streamError, setStreamError] = useState<unknown>(null);
  const found = query.isSuccess;
  useEffect(() => {
    if (!found) return;
    const controller = new AbortController();
    setStreamError(null);
    subscribe(
      `/orders/${orderId}/events`,
      (event, data) => {
        if (event === 'order.updated') setLive((current) => later(current?.orderId === orderId ? current : null, data as Order));
      },
      controller.signal,
    ).catch((error: unknown) => setStreamError(error));
    return () => controller.abort();
  }, [orderId, found]);
  const offer = (order: Order) => setLive((current) => later(current?.orderId === orderId ? current : null, order));
  // After going from one order's page to another's, the last one's updates are not this one's.
  return { query, order: later(query.data, live?.orderId === orderId ? live : null), streamError, offer };
}

export function OrderPage({ params }: { params: Record<string, string> }) {
  const orderId = params.orderId ?? '';
  const { query, order, streamError, offer } = useLiveOrder(orderId);
  const cancel = useCommand(() => api.post<Order>(`/orders/${orderId}/cancel`), offer);
  const names = new Map(order?.subOrders.map((sub) => [sub.subOrderId, sub.providerName]) ?? []);
  const restaurant = (providerId: string) => order?.subOrders.find((sub) => sub.providerId === providerId)?.providerName ?? providerId;
  return (
    <Page title="Order">
      <Loaded query={query}>
        {() =>
          order && (
            <>
              <Section title="Status">
                <p role="status" aria-live="polite" aria-atomic="true" className="orders-central" data-testid="order-status">
                  This order is <Status value={order.status} />
                </p>
                <dl className="facts">
                  <dt>Order</dt>
                  <dd>
                    <code>{order.orderId}</code>
                  </dd>
                  <dt>Placed</dt>
                  <dd>{formatInstant(order.createdAt)}</dd>
                  <dt>Total</dt>
                  <dd data-testid="order-total">{order.total}</dd>
                  <dt>Delivery address</dt>
                  <dd className="orders-address">{order.deliveryAddress}</dd>
                </dl>
                {streamError ? (
                  <ErrorMessage error={streamError} />
                ) : (
                  <p className="hint">This page follows the order live; there is no need to reload it.</p>
                )}
                {CANCELLABLE.has(order.status) && (
                  <div className="orders-actions">
                    <Button type="button" className="danger" busy={cancel.isPending} onClick={() => cancel.mutate(undefined)}>
                      Cancel order
                    </Button>
                  </div>
                )}
                <ErrorMessage error={cancel.error} />
              </Section>
              <Section title="Restaurants">
                <Table
                  caption="One sub-order per restaurant"
                  rows={order.subOrders}
                  rowKey={(sub) => sub.subOrderId}
                  columns={[
                    { header: 'Restaurant', cell: (sub) => sub.providerName },
                    { header: 'Status', cell: (sub) => <Status value={sub.status} /> },
                    { header: 'Attempts', cell: (sub) => sub.attempts, numeric: true },
                    { header: 'Last error', cell: (sub) => sub.lastError ?? '—' },
                    { header: 'Their reference', cell: (sub) => sub.providerRef ?? '—' },
                    { header: 'Updated', cell: (sub) => formatInstant(sub.updatedAt) },
                  ]}
                />
              </Section>
              <Section title="Items">
                <Table
                  caption="What was ordered, at the menu's price when it was placed"
                  rows={order.items}
                  rowKey={(item) => `${item.providerId}/${item.sku}`}
                  columns={[
                    { header: 'Dish', cell: (item) => item.name },
                    { header: 'Restaurant', cell: (item) => restaurant(item.providerId) },
                    { header: 'Quantity', cell: (item) => item.quantity, numeric: true },
                    { header: 'Price', cell: (item) => item.price, numeric: true },
                  ]}
                />
              </Section>
              <Section title="History">
                <ol className="orders-history" aria-label="Every change, oldest first">
                  {order.history.map((entry, index) => (
                    <li key={index}>
                      <span className="orders-when">{formatInstant(entry.at)}</span> {entry.subOrderId ? (names.get(entry.subOrderId) ?? 'A restaurant') : 'The order'}: <Status value={entry.status} />
                      {entry.ignored && <em> (came late, ignored)</em>}
                    </li>
                  ))}
                </ol>
              </Section>
            </>
          )
        }
      </Loaded>
    </Page>
  );
}

/** Orders as a table: a link to each, its status, total and restaurants. */
export function OrdersTable({ caption, orders, showCustomer = false }: { caption: string; orders: readonly Order[]; showCustomer?: boolean }) {
  return (
    <Table
      caption={caption}
      rows={orders}
      rowKey={(order) => order.orderId}
      empty="No orders."
      columns={[
        { header: 'Placed', cell: (order) => <Link to={`/orders/${order.orderId}`}>{formatInstant(order.createdAt)}</Link> },
        ...(showCustomer ? [{ header: 'Customer', cell: (order: Order) => <code className="orders-id">{order.customerId}</code> }] : []),
        { header: 'Restaurants', cell: (order) => order.subOrders.map((sub) => sub.providerName).join(', ') },
        { header: 'Status', cell: (order) => <Status value={order.status} /> },
        { header: 'Total', cell: (order) => order.total, numeric: true },
      ]}
    />
  );
}

export function MyOrdersPage() {
  const pager = usePager();
  const orders = useQuery({
    queryKey: ['orders', 'mine', pager.cursor],
    queryFn: () => api.get<ApiPage<Order>>('/orders/mine', { limit: PAGE_SIZE, cursor: pager.cursor }),
  });
  return (
    <Page title="My orders" actions={<Link to="/orders/restaurants">Order food</Link>}>
      <Loaded query={orders}>
        {(page) => (
          <>
            <OrdersTable caption="My orders, newest first" orders={page.items} />
            {(pager.page > 1 || page.nextCursor) && <Pager pager={pager} nextCursor={page.nextCursor} />}
          </>
        )}
      </Loaded>
    </Page>
  );
}
