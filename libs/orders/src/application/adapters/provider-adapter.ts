import type { AdapterKind, OrderedItem, ProviderRegistered, ProviderStatus } from '../../contract/orders.events';

/** A provider as its adapter needs it. */
export type ProviderInfo = ProviderRegistered['data'];

/** A sub-order as it is sent to its provider. */
export interface SubOrderRequest {
  subOrderId: string;
  orderId: string;
  items: readonly OrderedItem[];
  deliveryAddress: string;
}

/** What a provider says of a sub-order when asked: a status it reported, or still pending. */
export type PolledStatus = ProviderStatus | 'pending';

/**
 * The one interface every kind of provider integration implements. Each call is made for one
 * effect: `submit` is idempotent at the provider by the sub-order's id (the same call again gives
 * the same reference), `cancel` of a cancelled sub-order is a success. A call that fails throws
 * (an Error whose message says why); the caller records the failure and retries later. A new kind
 * of provider is one new class behind this interface, listed in `ADAPTER_CLASSES`
 * (orders-worker.module.ts), with its name in `AdapterKind` and `ADAPTER_KINDS`.
 */
export interface ProviderAdapter {
  readonly kind: AdapterKind;
  submit(provider: ProviderInfo, subOrder: SubOrderRequest): Promise<{ providerRef: string }>;
  cancel(provider: ProviderInfo, subOrder: { subOrderId: string; providerRef: string }): Promise<void>;
  poll(provider: ProviderInfo, subOrder: { subOrderId: string; providerRef: string }): Promise<{ status: PolledStatus; at?: string }>;
}

/** The adapters of every kind, by kind. */
export class ProviderAdapters {
  private readonly byKind: Map<AdapterKind, ProviderAdapter>;

  constructor(adapters: readonly ProviderAdapter[]) {
    this.byKind = new Map(adapters.map((adapter) => [adapter.kind, adapter]));
  }

  of(kind: AdapterKind): ProviderAdapter {
    const adapter = this.byKind.get(kind);
    if (!adapter) throw new Error(`No provider adapter of kind ${kind}`);
    return adapter;
  }
}
