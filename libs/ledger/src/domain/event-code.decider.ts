import { assertNever, type Decider, NotFoundError } from '@app/core/domain';
import type { EventCodeSettings, LedgerEventCodeEvent } from '../contract/ledger.events';
import { LedgerEventCodeExists } from './ledger.errors';

export type RegisterEventCode = { type: 'RegisterEventCode'; data: { code: number } & EventCodeSettings & { registeredAt: string } };

/** A PATCH: the settings it names, each to its new value. */
export type ChangeEventCode = { type: 'ChangeEventCode'; data: { code: number; changes: Partial<EventCodeSettings>; changedAt: string } };

export type EventCodeCommand = RegisterEventCode | ChangeEventCode;

export type EventCodeState = { status: 'none' } | ({ status: 'registered'; code: number } & EventCodeSettings);

const SETTINGS: readonly (keyof EventCodeSettings)[] = ['description', 'allowDebit', 'allowCredit', 'active'];

/**
 * One event code, in stream `ledger-event-code-<code>`. A change records every setting as it is
 * afterwards; a change that changes nothing records nothing.
 */
export const eventCodeDecider: Decider<EventCodeCommand, LedgerEventCodeEvent, EventCodeState> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterEventCode': {
        if (state.status === 'registered') throw new LedgerEventCodeExists(command.data.code);
        const { code, description, allowDebit, allowCredit, active, registeredAt } = command.data;
        return [{ type: 'LedgerEventCodeRegistered', data: { code, description, allowDebit, allowCredit, active, registeredAt } }];
      }
      case 'ChangeEventCode': {
        if (state.status === 'none') throw new NotFoundError('Event code', String(command.data.code));
        const { changes, changedAt } = command.data;
        const changed = SETTINGS.filter((setting) => changes[setting] !== undefined && changes[setting] !== state[setting]);
        if (changed.length === 0) return [];
        const { code, description, allowDebit, allowCredit, active } = { ...state, ...definedOnly(changes) };
        return [{ type: 'LedgerEventCodeChanged', data: { code, description, allowDebit, allowCredit, active, changed, changedAt } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'LedgerEventCodeRegistered':
      case 'LedgerEventCodeChanged': {
        const { code, description, allowDebit, allowCredit, active } = event.data;
        return { status: 'registered', code, description, allowDebit, allowCredit, active };
      }
      default:
        return assertNever(event);
    }
  },
};

function definedOnly(changes: Partial<EventCodeSettings>): Partial<EventCodeSettings> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}

export function eventCodeStream(code: number): string {
  return `ledger-event-code-${code}`;
}
