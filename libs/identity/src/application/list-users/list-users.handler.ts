import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '@app/core';
import { usersQueries } from '@app/projections/identity/users/users.queries';
import type { UserView } from '../get-user/get-user.query';
import { toUserView } from '../get-user/get-user.handler';
import { ListUsersQuery } from './list-users.query';

@Injectable()
@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute(): Promise<UserView[]> {
    const rows = await this.readModels.use(usersQueries).all();
    return rows.map(toUserView);
  }
}
