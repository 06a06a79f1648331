import { assertNever, type Decider } from '@app/core/domain';
import type { WaitlistOfferEmailed } from '../contract/ticketing.events';

export function offerEmailStream(emailId: string): string {
  return `ticketing-offer-email-${emailId}`;
}

/** One offer's email: stored in the outbox once, however often its offer is delivered. */
export const offerEmailDecider: Decider<{ type: 'StoreOfferEmail'; data: WaitlistOfferEmailed['data'] }, WaitlistOfferEmailed, { stored: boolean }> = {
  initialState: () => ({ stored: false }),
  decide(command, state) {
    switch (command.type) {
      case 'StoreOfferEmail':
        return state.stored ? [] : [{ type: 'WaitlistOfferEmailed', data: command.data }];
      default:
        return assertNever(command.type);
    }
  },
  evolve: () => ({ stored: true }),
};
