import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '@app/core';
import { providersQueries } from '@app/projections/orders/providers/providers.queries';
import { formatCents } from '../../../domain/money';
import { ListProvidersQuery, type ProviderView } from './list-providers.query';

@Injectable()
@QueryHandler(ListProvidersQuery)
export class ListProvidersHandler implements IQueryHandler<ListProvidersQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute(): Promise<ProviderView[]> {
    const rows = await this.readModels.use(providersQueries).all();
    return rows.map((row) => ({
      providerId: row.provider_id,
      name: row.name,
      adapter: row.adapter,
      menu: row.menu.items.map(({ sku, name, priceCents }) => ({ sku, name, price: formatCents(priceCents) })),
    }));
  }
}
