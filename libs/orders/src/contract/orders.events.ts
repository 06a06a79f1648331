import type { DomainEvent } from '@app/core/domain';

/** How a provider's sub-orders are carried out: inside the worker, or through the provider's own HTTP API. */
export type AdapterKind = 'simulated' | 'http';

/** The simulated provider's behaviour: accepts `acceptAfterMs` after the submit (or rejects), then moves one status along every `stepMs`. */
export interface Simulation {
  acceptAfterMs: number;
  stepMs: number;
  reject: boolean;
}

export type ProviderRegistered = DomainEvent<
  'ProviderRegistered',
  {
    providerId: string;
    name: string;
    adapter: AdapterKind;
    baseUrl: string | null;
    /** Signs the provider's callbacks (HMAC-SHA256). */
    secret: string;
    acceptTimeoutSeconds: number;
    simulation: Simulation | null;
    registeredAt: string;
  }
>;

export interface MenuItem {
  sku: string;
  name: string;
  priceCents: number;
}

export type MenuSet = DomainEvent<'MenuSet', { providerId: string; items: MenuItem[]; setAt: string }>;

export type ProviderEvent = ProviderRegistered | MenuSet;

/** An item as ordered: priced from the provider's menu at the time of the order. */
export interface OrderedItem {
  providerId: string;
  sku: string;
  name: string;
  priceCents: number;
  quantity: number;
}

/** One provider's part of an order, as the order split it. */
export interface SubOrderPlan {
  subOrderId: string;
  providerId: string;
  providerName: string;
  adapter: AdapterKind;
  acceptTimeoutSeconds: number;
  items: OrderedItem[];
}

export type OrderPlaced = DomainEvent<
  'OrderPlaced',
  { orderId: string; customerId: string; deliveryAddress: string; items: OrderedItem[]; totalCents: number; subOrders: SubOrderPlan[]; placedAt: string }
>;

/** The customer (or an admin) asked to cancel; the order is `cancelling` until every sub-order is cancelled. */
export type OrderCancelRequested = DomainEvent<'OrderCancelRequested', { orderId: string; requestedBy: string; requestedAt: string }>;

/** Every sub-order that had to be is cancelled (or was rejected): the order is `cancelled`. */
export type OrderCancelled = DomainEvent<'OrderCancelled', { orderId: string; reason: 'rejected' | 'timed_out' | 'customer'; cancelledAt: string }>;

export type OrderEvent = OrderPlaced | OrderCancelRequested | OrderCancelled;

/** Statuses a provider reports for a sub-order, in their forward order (`rejected` ends it). */
export type ProviderStatus = 'accepted' | 'preparing' | 'ready' | 'picked_up' | 'delivered' | 'rejected';

export type SubOrderStatus = 'pending' | ProviderStatus | 'timed_out' | 'cancelled';

/** Where an update came from. */
export type UpdateSource = 'callback' | 'poll' | 'simulated';

/** The provider took the sub-order (its submit answered), under its own reference. */
export type SubOrderSubmitted = DomainEvent<
  'SubOrderSubmitted',
  { subOrderId: string; orderId: string; providerId: string; providerRef: string; attempt: number; submittedAt: string }
>;

/** A submit that failed (timed out, a 5xx, no answer, the circuit open); it is retried. */
export type SubOrderSubmitFailed = DomainEvent<
  'SubOrderSubmitFailed',
  { subOrderId: string; orderId: string; providerId: string; attempt: number; error: string; failedAt: string }
>;

/**
 * A status the provider reported, by its event id (an update with an id seen before is not
 * recorded again). `ignored`: it would have moved the sub-order backwards, so it is kept for the
 * history and changes nothing.
 */
export type SubOrderStatusReported = DomainEvent<
  'SubOrderStatusReported',
  { subOrderId: string; orderId: string; providerId: string; eventId: string; status: ProviderStatus; at: string; source: UpdateSource; ignored: boolean; receivedAt: string }
>;

/** Not accepted within the provider's acceptTimeoutSeconds. */
export type SubOrderTimedOut = DomainEvent<'SubOrderTimedOut', { subOrderId: string; orderId: string; providerId: string; timedOutAt: string }>;

/** A cancel call to the provider that failed; it is retried until the provider confirms. */
export type SubOrderCancelFailed = DomainEvent<
  'SubOrderCancelFailed',
  { subOrderId: string; orderId: string; providerId: string; attempt: number; error: string; failedAt: string }
>;

/** The provider confirmed the cancel (compensation). */
export type SubOrderCancelled = DomainEvent<'SubOrderCancelled', { subOrderId: string; orderId: string; providerId: string; attempt: number; cancelledAt: string }>;

export type SubOrderEvent = SubOrderSubmitted | SubOrderSubmitFailed | SubOrderStatusReported | SubOrderTimedOut | SubOrderCancelFailed | SubOrderCancelled;

export type OrdersEvent = ProviderEvent | OrderEvent | SubOrderEvent;

/**
 * The built-in simulated provider's own records (it keeps them in the log, as a real provider
 * keeps its own database): a sub-order it received, with how it is to behave, and its cancel. Its
 * steps are timers of its workflow, so a restarted worker goes on where it was.
 */
export type SimulatedOrderReceived = DomainEvent<
  'SimulatedOrderReceived',
  { subOrderId: string; orderId: string; providerId: string; simulation: Simulation; receivedAt: string }
>;

export type SimulatedOrderCancelled = DomainEvent<'SimulatedOrderCancelled', { subOrderId: string; orderId: string; providerId: string; cancelledAt: string }>;

export type SimulatedProviderEvent = SimulatedOrderReceived | SimulatedOrderCancelled;
