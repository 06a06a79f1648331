import { defineQueries } from '@app/core';
import { type ProviderRow, providersProjection } from './providers.projection';

export type { ProviderRow } from './providers.projection';

export const providersQueries = defineQueries(providersProjection, ({ table }) => ({
  /** Every provider with its menu, in the order they were registered. */
  all: (): Promise<ProviderRow[]> => table<ProviderRow>('orders_providers').orderBy('registered_position'),
}));
