import type { CommandBus } from '@nestjs/cqrs';
import { type CommandRunner, ConcurrencyConflictError, fold, NotFoundError } from '@app/core';
import type { Position } from '@app/eventstore';
import { isActiveAdmin, type RegisteredUser, type UserChange, userDecider, userStream } from '../domain/user.decider';
import { UpdateAdminRosterCommand } from './update-admin-roster/update-admin-roster.command';

const MAX_ATTEMPTS = 5;

export interface UserChanged {
  /** The user after the change. */
  user: RegisteredUser;
  /** The position of the change, or of the user's last event when nothing needed to change. */
  position: Position;
}

/**
 * What the handlers changing an existing user (role, deactivation, reactivation, beak) share,
 * because each may change who counts as an active admin: each is the writer of its own command,
 * and writes it through `change`. The change is decided on the user's state at one version; a
 * user who stops being an active admin leaves the admin roster first (LAST_ADMIN when nobody
 * would be left), a user who becomes one joins it after (UpdateAdminRosterCommand, through the
 * bus). The user's event is then appended only on that same version, so the roster's check still
 * holds; if the user changed meanwhile, everything is decided again.
 */
export abstract class UserChangeHandler {
  protected constructor(
    protected readonly commands: CommandRunner,
    protected readonly commandBus: CommandBus,
  ) {}

  protected async change(userId: string, proposed: UserChange): Promise<UserChanged> {
    const stream = userStream(userId);
    for (let attempt = 1; ; attempt++) {
      const { state } = await this.commands.load(userDecider, stream);
      if (state.status !== 'registered') throw new NotFoundError('User', userId);
      const command = { ...proposed, data: { ...proposed.data, expectedVersion: state.version } } as UserChange;
      const planned = fold(userDecider, state, userDecider.decide(command, state));
      if (planned.status !== 'registered') throw new Error(`User ${userId} vanished in a change`);
      if (isActiveAdmin(state) && !isActiveAdmin(planned)) await this.commandBus.execute(new UpdateAdminRosterCommand('dismiss', userId, state.version + 1));
      try {
        const { state: user, position } = await this.commands.run(userDecider, stream, command);
        if (user.status !== 'registered' || position === null) throw new Error(`User ${userId} vanished in a change`);
        if (!isActiveAdmin(state) && isActiveAdmin(user)) await this.commandBus.execute(new UpdateAdminRosterCommand('admit', userId, user.version));
        return { user, position };
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}
