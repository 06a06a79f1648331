import type { DomainEvent } from '@app/core';
import type { Role } from './role';

/** A user joined, by self-registration, by an admin, or as the bootstrap admin. */
export type UserRegistered = DomainEvent<
  'UserRegistered',
  {
    userId: string;
    name: string;
    /** Normalised: trimmed and lower case. */
    email: string;
    role: Role;
    /** The beak, salted and slowly hashed; the beak itself is never stored. */
    beakHash: string;
    registeredAt: string;
  }
>;

export type UserRoleChanged = DomainEvent<'UserRoleChanged', { userId: string; role: Role; previousRole: Role; changedAt: string }>;

export type UserEvent = UserRegistered | UserRoleChanged;

/** Event types of this context, for projections and subscriptions to filter on. */
export const USER_EVENT_TYPES = ['UserRegistered', 'UserRoleChanged'] as const satisfies readonly UserEvent['type'][];
