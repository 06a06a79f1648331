import { CommandBus } from '@nestjs/cqrs';
import { isEmail } from 'class-validator';
import { type CliCommand, CliUsageError } from '@app/core';
import { RegisterUserCommand } from '../application/register-user/register-user.command';
import { type Beak, parseBeak } from '../domain/beak';
import { IdentityModule } from '../identity.module';

function required(options: Record<string, string | true>, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value.trim() === '') throw new CliUsageError(`--${name} is required`);
  return value;
}

function beakOption(options: Record<string, string | true>): Beak {
  const json = required(options, 'beak');
  try {
    return parseBeak(JSON.parse(json));
  } catch (error) {
    throw new CliUsageError(`--beak: ${(error as Error).message}`);
  }
}

/**
 * `npm run cli -- users:create-admin`: the first admin, without an open endpoint: an ordinary registration, through the command bus as
 * HTTP's is. A taken email fails (exit code 1) and changes nothing.
 */
export const usersCreateAdmin: CliCommand = {
  name: 'users:create-admin',
  usage: `users:create-admin --name <name> --email <email> --beak '{"length":12.3,"depth":4.1,"width":3.2,"curvature":0.7}'`,
  description: 'Create a user with role admin (for example the first one)',
  modules: [IdentityModule],
  async run({ options, app, print }) {
    const name = required(options, 'name');
    const email = required(options, 'email');
    if (!isEmail(email)) throw new CliUsageError(`--email: "${email}" is not an email address`);
    const beak = beakOption(options);
    const { userId } = await app.get(CommandBus).execute(new RegisterUserCommand(name, email, beak, 'admin'));
    print(`Admin ${email} created (user ${userId}).`);
  },
};
