import type { DomainEvent } from '@app/core/domain';

/**
 * An admin on the roster, as of a revision of their user stream: a roster fact about an older
 * revision than the one recorded changes nothing, so a late write cannot undo a newer one.
 */
export interface RosterEntry {
  userId: string;
  asOf: number;
}

/** The roster started from the active admins the user streams held when it was first needed. */
export type AdminRosterSeeded = DomainEvent<'AdminRosterSeeded', { admins: RosterEntry[] }>;

/** The user became an active admin (registered as one, promoted, or reactivated). */
export type AdminJoinedRoster = DomainEvent<'AdminJoinedRoster', RosterEntry>;

/** The user is about to stop being an active admin (demoted or deactivated). */
export type AdminLeftRoster = DomainEvent<'AdminLeftRoster', RosterEntry>;

export type AdminRosterEvent = AdminRosterSeeded | AdminJoinedRoster | AdminLeftRoster;
