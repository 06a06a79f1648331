import { Query } from '@nestjs/cqrs';
import type { UserView } from '../get-user/get-user.query';

export class ListUsersQuery extends Query<UserView[]> {}
