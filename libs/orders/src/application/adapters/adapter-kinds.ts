import type { AdapterKind } from '../../contract/orders.events';

/** Every kind of provider integration there is; a new one is added here and as its class (see ProviderAdapter). */
export const ADAPTER_KINDS: readonly AdapterKind[] = ['simulated', 'http'];
