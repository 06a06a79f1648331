import { Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@app/core';
import { normaliseEmail, userIdForEmail } from '../../domain/email';
import { userDecider, userStream } from '../../domain/user.decider';
import { BeakHasher } from '../beak-hasher';
import { RegisterUserCommand, type UserRegistration } from './register-user.command';

@Injectable()
@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly hasher: BeakHasher,
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
        registeredAt: new Date().toISOString(),
      },
    });
    return { userId, role, position: position! };
  }
}
