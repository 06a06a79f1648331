import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { KNEX } from '@app/core';
import type { UserRow } from '@app/projections/identity/users.projection';
import type { UserView } from '../get-user/get-user.query';
import { toUserView } from '../get-user/get-user.handler';
import { ListUsersQuery } from './list-users.query';

@Injectable()
@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery> {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async execute(): Promise<UserView[]> {
    const rows = await this.knex<UserRow>('users').orderBy([{ column: 'name' }, { column: 'user_id' }]);
    return rows.map(toUserView);
  }
}
