import { defineQueries } from '@app/core';
import type { Role } from '@app/identity/contract';
import { type UserRow, usersProjection } from './users.projection';

export type { UserRow };

/** The user directory: identity's own reads, and what other contexts may ask of it (exported by `@app/identity`). */
export const usersQueries = defineQueries(usersProjection, ({ table, sql, name }) => ({
  /** Plain SQL: `GET /auth/me` is this query alone. */
  byId: async (userId: string): Promise<UserRow | undefined> => (await sql<UserRow>(`select * from ${name('users')} where user_id = $1`, [userId]))[0],

  /** Everyone, by name (then id, so equal names keep one order). */
  all: (): Promise<UserRow[]> => table<UserRow>('users').orderBy([{ column: 'name' }, { column: 'user_id' }]),

  /** The ids of the active users with a role. */
  activeIdsWithRole: (role: Role): Promise<string[]> => table<UserRow>('users').where({ role, active: true }).pluck('user_id'),
}));
