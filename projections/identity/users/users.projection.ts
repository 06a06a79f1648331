import { defineRowProjection } from '@app/core';
import type { Role, UserEvent } from '@app/identity/contract';

/** A row of `users`: everyone with their role and whether they are active. The beak hash stays in the write model. */
export interface UserRow {
  user_id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
}

type UsersEvent = Exclude<UserEvent, { type: 'UserBeakChanged' }>;

/** Everyone, with their role and whether they are active: the directory other contexts read through `usersQueries`. */
export const usersProjection = defineRowProjection<UserRow, UsersEvent, 'users'>({
  name: 'users',
  version: 2,
  table: 'users',
  columns: (t) => {
    t.uuid('user_id').primary();
    t.text('name').notNullable();
    t.text('email').notNullable();
    t.text('role').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.index(['role']);
  },
  key: 'user_id',
  keyOf: (event) => event.data.userId,
  evolve: {
    UserRegistered: (row, { data: { userId, name, email, role } }) => {
      // A user is registered once per stream; a second row for them means the log is not what it should be.
      if (row) throw new Error(`User ${userId} is already in the directory`);
      return { user_id: userId, name, email, role, active: true };
    },
    UserRoleChanged: (row, { data: { role } }) => (row ? { ...row, role } : null),
    UserDeactivated: (row) => (row ? { ...row, active: false } : null),
    UserReactivated: (row) => (row ? { ...row, active: true } : null),
  },
});
