import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';
import type { Beak } from '../../domain/beak';
import type { Role } from '../../contract/role';

export interface UserRegistration {
  userId: string;
  role: Role;
  position: Position;
}

/** Self-registration (role worker), an admin creating a user, or the bootstrap admin. */
export class RegisterUserCommand extends Command<UserRegistration> {
  constructor(
    readonly name: string,
    readonly email: string,
    readonly beak: Beak,
    readonly role: Role,
  ) {
    super();
  }
}
