import { assertNever, type Decider, NotFoundError } from '@app/core/domain';
import type { MenuItem, ProviderEvent, ProviderRegistered } from '../contract/orders.events';
import { ProviderExists } from './orders.errors';

export type ProviderState = { provider: ProviderRegistered['data'] | null; menu: readonly MenuItem[] };

export type ProviderCommand = { type: 'RegisterProvider'; data: ProviderRegistered['data'] } | { type: 'SetMenu'; data: { providerId: string; items: MenuItem[]; setAt: string } };

export function providerStream(providerId: string): string {
  return `orders-provider-${providerId}`;
}

/** A provider (restaurant): how it is reached, and its menu, which a SetMenu replaces whole. */
export const providerDecider: Decider<ProviderCommand, ProviderEvent, ProviderState> = {
  initialState: () => ({ provider: null, menu: [] }),
  decide(command, state) {
    switch (command.type) {
      case 'RegisterProvider':
        if (state.provider) throw new ProviderExists(command.data.providerId);
        return [{ type: 'ProviderRegistered', data: command.data }];
      case 'SetMenu':
        if (!state.provider) throw new NotFoundError('Provider', command.data.providerId);
        return [{ type: 'MenuSet', data: command.data }];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ProviderRegistered':
        return { ...state, provider: event.data };
      case 'MenuSet':
        return { ...state, menu: event.data.items };
      default:
        return assertNever(event);
    }
  },
};
