import { Query } from '@nestjs/cqrs';

export interface ProviderView {
  providerId: string;
  name: string;
  adapter: string;
  /** In the order the menu was set with; prices as decimal strings. */
  menu: { sku: string; name: string; price: string }[];
}

/** Every provider with its menu, in the order they were registered. */
export class ListProvidersQuery extends Query<ProviderView[]> {}
