import type { ProviderEvent } from '@app/orders/contract';
import { readModelUnderTest, recorder } from '../../../test/support/read-model-spec';
import { providersProjection } from './providers.projection';
import { providersQueries } from './providers.queries';

const recorded = recorder<ProviderEvent>((event) => `orders-provider-${event.data.providerId}`);
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [P1, P2, P3] = [1, 2, 3].map(uuid);
const at = '2027-02-01T10:00:00.000Z';

const registered = (providerId: string, name: string, adapter: 'simulated' | 'http') =>
  recorded('ProviderRegistered', {
    providerId,
    name,
    adapter,
    baseUrl: adapter === 'http' ? 'https://sushi.example/api' : null,
    secret: 'not-kept',
    acceptTimeoutSeconds: 60,
    simulation: adapter === 'simulated' ? { acceptAfterMs: 10, stepMs: 10, reject: false } : null,
    registeredAt: at,
  });

// Registered in the order P2, P1, P3; P1's menu is set twice (the second replaces the first), P3 has none.
const events = [
  registered(P2, 'Sushi Spot', 'http'),
  registered(P1, 'Pasta Place', 'simulated'),
  recorded('MenuSet', { providerId: P1, items: [{ sku: 'b', name: 'Bolognese', priceCents: 1150 }], setAt: at }),
  recorded('MenuSet', { providerId: P2, items: [{ sku: 'm', name: 'Maki', priceCents: 600 }, { sku: 'n', name: 'Nigiri', priceCents: 85 }], setAt: at }),
  registered(P3, 'Taco Truck', 'simulated'),
  recorded('MenuSet', { providerId: P1, items: [{ sku: 'c', name: 'Carbonara', priceCents: 1290 }, { sku: 'b', name: 'Bolognese', priceCents: 1200 }], setAt: at }),
];

const expectedRows = [
  { provider_id: P2, name: 'Sushi Spot', adapter: 'http', menu: { items: [{ sku: 'm', name: 'Maki', priceCents: 600 }, { sku: 'n', name: 'Nigiri', priceCents: 85 }] }, registered_position: events[0].position },
  { provider_id: P1, name: 'Pasta Place', adapter: 'simulated', menu: { items: [{ sku: 'c', name: 'Carbonara', priceCents: 1290 }, { sku: 'b', name: 'Bolognese', priceCents: 1200 }] }, registered_position: events[1].position },
  { provider_id: P3, name: 'Taco Truck', adapter: 'simulated', menu: { items: [] }, registered_position: events[4].position },
];

describe('orders providers read model', () => {
  it('reads the providers and their menus', () => {
    expect(providersProjection.eventTypes).toEqual(['ProviderRegistered', 'MenuSet']);
  });

  describe('the events in one batch', () => {
    const readModel = readModelUnderTest(providersProjection, { batches: [events] });

    it('keeps each provider with its latest menu, items in the order it was set with, and no secret', async () => {
      expect(await readModel.rows('orders_providers', 'served', 'registered_position')).toEqual(expectedRows);
    });

    it('lists every provider in the order they were registered', async () => {
      expect(await readModel.queries(providersQueries).all()).toEqual(expectedRows);
    });
  });

  describe('the same events one batch each', () => {
    const readModel = readModelUnderTest(providersProjection);

    it('gives the same rows as one batch', async () => {
      await readModel.applyEachAlone(events);
      expect(await readModel.rows('orders_providers', 'served', 'registered_position')).toEqual(expectedRows);
    });
  });
});
