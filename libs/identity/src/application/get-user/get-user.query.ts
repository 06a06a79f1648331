import { Query } from '@nestjs/cqrs';
import type { Role } from '../../contract/role';

/** A user as queries show them. */
export interface UserView {
  userId: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
}

export class GetUserQuery extends Query<UserView> {
  constructor(readonly userId: string) {
    super();
  }
}
