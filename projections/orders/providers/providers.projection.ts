import { defineRowProjection } from '@app/core';
import type { AdapterKind, MenuItem, MenuSet, ProviderRegistered } from '@app/orders/contract';

/**
 * A row of `orders_providers`: one provider, how its sub-orders reach it, and its menu now. The
 * menu is a jsonb object `{ items }` (the driver writes an object as JSON, an array as a
 * PostgreSQL array), items in the order the menu was set with, prices in cents.
 */
export interface ProviderRow {
  provider_id: string;
  name: string;
  adapter: AdapterKind;
  menu: { items: MenuItem[] };
  /** The position of its ProviderRegistered: the list is in the order providers were registered. */
  registered_position: string;
}

type ProviderEvent = ProviderRegistered | MenuSet;

/** Every provider with its menu, for the customers choosing what to order. Secrets and adapters' settings are not kept. */
export const providersProjection = defineRowProjection<ProviderRow, ProviderEvent, 'orders_providers'>({
  name: 'orders_providers',
  version: 1,
  table: 'orders_providers',
  columns: (t) => {
    t.uuid('provider_id').primary();
    t.text('name').notNullable();
    t.text('adapter').notNullable();
    t.jsonb('menu').notNullable();
    t.text('registered_position').notNullable();
    t.index(['registered_position']);
  },
  key: 'provider_id',
  keyOf: (event) => event.data.providerId,
  evolve: {
    ProviderRegistered: (row, { data, position }) =>
      row ?? { provider_id: data.providerId, name: data.name, adapter: data.adapter, menu: { items: [] }, registered_position: position },
    MenuSet: (row, { data }) => (row ? { ...row, menu: { items: data.items.map(({ sku, name, priceCents }) => ({ sku, name, priceCents })) } } : null),
  },
});
