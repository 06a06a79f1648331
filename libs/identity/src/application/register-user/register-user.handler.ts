import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { normaliseEmail, userIdForEmail } from '../../domain/email';
import { userDecider, userStream } from '../../domain/user.decider';
import { AdminRoster } from '../admin-roster';
import { BeakHasher } from '../beak-hasher';
import { RegisterUserCommand, type UserRegistration } from './register-user.command';

@Injectable()
@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly hasher: BeakHasher,
    private readonly roster: AdminRoster,
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
    // A new admin joins the roster after their registration is in the log (see AdminRoster).
    if (role === 'admin') await this.roster.admit(userId, 0);
    return { userId, role, position: position! };
  }
}
