import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { normaliseEmail } from '../../domain/email';
import { userDecider, userStream } from '../../domain/user.decider';
import { BeakHasher } from '../beak-hasher';
import { UpdateAdminRosterCommand } from '../update-admin-roster/update-admin-roster.command';
import { userIdForEmail } from '../user-id';
import { RegisterUserCommand, type UserRegistration } from './register-user.command';

/** Self-registration, an admin creating a user, the bootstrap admin and `users:create-admin` all come here, through the bus. */
@Injectable()
@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly commandBus: CommandBus,
    private readonly hasher: BeakHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ name, email, beak, role }: RegisterUserCommand): Promise<UserRegistration> {
    const userId = userIdForEmail(email);
    const { position } = await this.commands.run(userDecider, userStream(userId), {
      type: 'RegisterUser',
      data: {
        userId,
        name,
        email: normaliseEmail(email),
        role,
        beakHash: await this.hasher.hash(beak),
        registeredAt: this.clock.now().toISOString(),
      },
    });
    if (position === null) throw new Error(`User ${userId} was registered but their stream is empty`);
    // A new admin joins the roster after their registration is in the log (see UpdateAdminRosterHandler).
    if (role === 'admin') await this.commandBus.execute(new UpdateAdminRosterCommand('admit', userId, 0));
    return { userId, role, position };
  }
}
