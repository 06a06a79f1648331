import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';
import type { Role } from '../../contract/role';

export interface RoleChange {
  userId: string;
  role: Role;
  position: Position;
}

export class ChangeRoleCommand extends Command<RoleChange> {
  constructor(
    readonly userId: string,
    readonly role: Role,
  ) {
    super();
  }
}
