import { defineProjection } from '@app/core';
import type { Role } from '@app/identity/domain/role';
import type { UserDeactivated, UserReactivated, UserRegistered, UserRoleChanged } from '@app/identity/domain/user.events';

export const USERS_PROJECTION = 'users';

/** A row of `users`: everyone with their role and whether they are active. The beak hash stays in the write model. */
export interface UserRow {
  user_id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
}

export const usersProjection = defineProjection({
  name: USERS_PROJECTION,
  version: 2,
  tables: {
    users: (t) => {
      t.uuid('user_id').primary();
      t.text('name').notNullable();
      t.text('email').notNullable();
      t.text('role').notNullable();
      t.boolean('active').notNullable().defaultTo(true);
      t.index(['role']);
    },
  },
  handlers: {
    UserRegistered: async (event, { table }) => {
      const { userId, name, email, role } = event.data as UserRegistered['data'];
      await table('users').insert({ user_id: userId, name, email, role, active: true });
    },
    UserRoleChanged: async (event, { table }) => {
      const { userId, role } = event.data as UserRoleChanged['data'];
      await table('users').where({ user_id: userId }).update({ role });
    },
    UserDeactivated: async (event, { table }) => {
      const { userId } = event.data as UserDeactivated['data'];
      await table('users').where({ user_id: userId }).update({ active: false });
    },
    UserReactivated: async (event, { table }) => {
      const { userId } = event.data as UserReactivated['data'];
      await table('users').where({ user_id: userId }).update({ active: true });
    },
  },
});
