import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { KNEX, NotFoundError } from '@app/core';
import type { UserRow } from '@app/projections/identity/users.projection';
import { GetUserQuery, type UserView } from './get-user.query';

@Injectable()
@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async execute({ userId }: GetUserQuery): Promise<UserView> {
    const row = await this.knex<UserRow>('users').where({ user_id: userId }).first();
    if (!row) throw new NotFoundError('User', userId);
    return toUserView(row);
  }
}

export function toUserView(row: UserRow): UserView {
  return { userId: row.user_id, name: row.name, email: row.email, role: row.role, active: row.active };
}
