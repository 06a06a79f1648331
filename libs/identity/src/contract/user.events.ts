import type { DomainEvent } from '@app/core/domain';
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

/** The user can no longer log in, and every token issued to them stops working. */
export type UserDeactivated = DomainEvent<'UserDeactivated', { userId: string; deactivatedAt: string }>;

/** A deactivated user can log in again; tokens issued before the deactivation stay dead. */
export type UserReactivated = DomainEvent<'UserReactivated', { userId: string; reactivatedAt: string }>;

/** The user changed their own beak; every token issued before stops working. */
export type UserBeakChanged = DomainEvent<'UserBeakChanged', { userId: string; beakHash: string; changedAt: string }>;

export type UserEvent = UserRegistered | UserRoleChanged | UserDeactivated | UserReactivated | UserBeakChanged;

/** Event types of this context's user streams, for projections and subscriptions to filter on. */
export const USER_EVENT_TYPES = [
  'UserRegistered',
  'UserRoleChanged',
  'UserDeactivated',
  'UserReactivated',
  'UserBeakChanged',
] as const satisfies readonly UserEvent['type'][];

/** The events that change what an existing user's tokens may do: the auth guard watches for these. */
export const AUTHORITY_EVENT_TYPES = ['UserRoleChanged', 'UserDeactivated', 'UserReactivated', 'UserBeakChanged'] as const satisfies readonly UserEvent['type'][];
