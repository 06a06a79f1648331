import { assertNever, type Decider } from '@app/core/domain';
import type { CustomerEvent, CustomerPersonalDataSet } from '../contract/ticketing.events';

export interface CustomerState {
  /** The data key in use, null before the first data or after forgetting. */
  keyId: string | null;
  forgotten: boolean;
}

export type CustomerCommand =
  | { type: 'SetPersonalData'; data: CustomerPersonalDataSet['data'] }
  | { type: 'ForgetCustomer'; data: { userId: string; forgottenAt: string } };

export function customerStream(userId: string): string {
  return `ticketing-customer-${userId}`;
}

/**
 * A customer's personal data, encrypted by the handler before it reaches the decider: set (again
 * and again), and forgotten (their key destroyed). Data set after forgetting is under a new key.
 */
export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  initialState: () => ({ keyId: null, forgotten: false }),
  decide(command, state) {
    switch (command.type) {
      case 'SetPersonalData':
        return [{ type: 'CustomerPersonalDataSet', data: command.data }];
      case 'ForgetCustomer':
        // Forgetting a customer with no data, or forgotten already with nothing set since, changes nothing.
        return state.keyId === null ? [] : [{ type: 'CustomerForgotten', data: { userId: command.data.userId, keyId: state.keyId, forgottenAt: command.data.forgottenAt } }];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'CustomerPersonalDataSet':
        return { keyId: event.data.keyId, forgotten: false };
      case 'CustomerForgotten':
        return { keyId: null, forgotten: true };
      default:
        return assertNever(event);
    }
  },
};
