import { defineProjection } from '@app/core';
import type { Role } from '@app/identity/domain/role';
import type { UserRegistered, UserRoleChanged } from '@app/identity/domain/user.events';

export const USERS_PROJECTION = 'users';

/** A row of `users`: everyone with their role. The beak hash stays in the write model. */
export interface UserRow {
  user_id: string;
  name: string;
  email: string;
  role: Role;
}

export const usersProjection = defineProjection({
  name: USERS_PROJECTION,
  version: 1,
  tables: {
    users: (t) => {
      t.uuid('user_id').primary();
      t.text('name').notNullable();
      t.text('email').notNullable();
      t.text('role').notNullable();
      t.index(['role']);
    },
  },
  handlers: {
    UserRegistered: async (event, { table }) => {
      const { userId, name, email, role } = event.data as UserRegistered['data'];
      await table('users').insert({ user_id: userId, name, email, role });
    },
    UserRoleChanged: async (event, { table }) => {
      const { userId, role } = event.data as UserRoleChanged['data'];
      await table('users').where({ user_id: userId }).update({ role });
    },
  },
});
