import { assertNever, type Decider } from '@app/core/domain';
import type { AdminRosterEvent, RosterEntry } from './admin-roster.events';
import { LastAdmin } from './identity.errors';

/**
 * The consistency boundary of the last-admin rule: one stream, `identity-admins`, that every
 * command changing the number of active admins appends to at the revision it read, so two admins
 * demoting each other at once cannot both succeed.
 *
 * The roster never counts an admin who is not one: a removal is recorded here before the user's
 * own event, an addition after it. A crash between the two leaves the roster short of an admin,
 * which only makes the rule stricter until the command is repeated.
 */
export type AdmitAdmin = { type: 'AdmitAdmin'; data: RosterEntry & { seed?: RosterEntry[] } };
export type DismissAdmin = { type: 'DismissAdmin'; data: RosterEntry & { seed?: RosterEntry[] } };
export type AdminRosterCommand = AdmitAdmin | DismissAdmin;

export interface AdminRosterState {
  seeded: boolean;
  /** Per user: whether they are on the roster, as of which user-stream revision. */
  users: Record<string, { admin: boolean; asOf: number }>;
}

export const ADMIN_ROSTER_STREAM = 'identity-admins';

export const adminRosterDecider: Decider<AdminRosterCommand, AdminRosterEvent, AdminRosterState> = {
  initialState: () => ({ seeded: false, users: {} }),

  decide(command, state) {
    const { seed, ...entry } = command.data;
    const seeding: AdminRosterEvent[] = [];
    let current = state;
    if (!state.seeded) {
      if (!seed) throw new Error('The admin roster must be seeded from the user streams before its first change');
      seeding.push({ type: 'AdminRosterSeeded', data: { admins: seed } });
      current = adminRosterDecider.evolve(state, seeding[0]);
    }
    const known = current.users[entry.userId];
    if (known && known.asOf >= entry.asOf) return seeding;
    switch (command.type) {
      case 'AdmitAdmin':
        return [...seeding, { type: 'AdminJoinedRoster', data: entry }];
      case 'DismissAdmin': {
        const others = Object.entries(current.users).filter(([userId, user]) => user.admin && userId !== entry.userId);
        if (others.length === 0) throw new LastAdmin(entry.userId);
        return [...seeding, { type: 'AdminLeftRoster', data: entry }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'AdminRosterSeeded':
        return { seeded: true, users: Object.fromEntries(event.data.admins.map(({ userId, asOf }) => [userId, { admin: true, asOf }])) };
      case 'AdminJoinedRoster':
        return { ...state, users: { ...state.users, [event.data.userId]: { admin: true, asOf: event.data.asOf } } };
      case 'AdminLeftRoster':
        return { ...state, users: { ...state.users, [event.data.userId]: { admin: false, asOf: event.data.asOf } } };
      default:
        return assertNever(event);
    }
  },
};
