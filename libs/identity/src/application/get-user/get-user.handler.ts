import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError, ReadModels } from '@app/core';
import { type UserRow, usersQueries } from '@app/projections/identity/users/users.queries';
import { GetUserQuery, type UserView } from './get-user.query';

@Injectable()
@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ userId }: GetUserQuery): Promise<UserView> {
    const row = await this.readModels.use(usersQueries).byId(userId);
    if (!row) throw new NotFoundError('User', userId);
    return toUserView(row);
  }
}

export function toUserView(row: UserRow): UserView {
  return { userId: row.user_id, name: row.name, email: row.email, role: row.role, active: row.active };
}
