import { NotFoundError } from '@app/core/domain';
import { spec } from '@app/core/testing/given-when-then';
import type { MenuSet, ProviderRegistered } from '../contract/orders.events';
import { ProviderExists } from './orders.errors';
import { providerDecider } from './provider.decider';

const providerId = 'a1000000-0000-4000-8000-000000000001';
const at = '2027-02-01T10:00:00.000Z';

const registerData: ProviderRegistered['data'] = {
  providerId,
  name: 'Pinguino',
  adapter: 'http',
  baseUrl: 'https://api.pinguino.example',
  secret: 'a-long-shared-secret',
  acceptTimeoutSeconds: 60,
  simulation: null,
  registeredAt: at,
};
const registered: ProviderRegistered = { type: 'ProviderRegistered', data: registerData };
const menu = (items: MenuSet['data']['items']): MenuSet => ({ type: 'MenuSet', data: { providerId, items, setAt: at } });
const first = [{ sku: 'margherita', name: 'Margherita', priceCents: 850 }];
const second = [{ sku: 'diavola', name: 'Diavola', priceCents: 1050 }, { sku: 'margherita', name: 'Margherita', priceCents: 900 }];

const provider = spec(providerDecider);

describe('provider decider', () => {
  it('a provider is registered once; a second registration under its id is ORDERS_PROVIDER_EXISTS (409)', () => {
    provider.given([]).when({ type: 'RegisterProvider', data: registerData }).then([registered]);
    provider.given([registered]).when({ type: 'RegisterProvider', data: registerData }).thenThrows(ProviderExists);
    provider.given([registered]).when({ type: 'RegisterProvider', data: registerData }).thenThrows({ code: 'ORDERS_PROVIDER_EXISTS', status: 409, details: { providerId } } as { code: string });
  });

  it('a menu is set on a registered provider, and a later one replaces it whole', () => {
    provider.given([registered]).when({ type: 'SetMenu', data: { providerId, items: first, setAt: at } }).then([menu(first)]);
    provider.given([registered, menu(first)]).when({ type: 'SetMenu', data: { providerId, items: second, setAt: at } }).then([menu(second)]);
    const state = [registered, menu(first), menu(second)].reduce(providerDecider.evolve, providerDecider.initialState());
    expect(state.menu).toEqual(second);
    const emptied = [registered, menu(first), menu([])].reduce(providerDecider.evolve, providerDecider.initialState());
    expect(emptied.menu).toEqual([]);
  });

  it('a menu for a provider that is not registered is NOT_FOUND', () => {
    provider.given([]).when({ type: 'SetMenu', data: { providerId, items: first, setAt: at } }).thenThrows(NotFoundError);
  });
});
