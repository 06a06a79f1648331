import { Inject, Injectable } from '@nestjs/common';
import { CommandRunner, ConcurrencyConflictError, fold, NotFoundError } from '@app/core';
import { EVENT_STORE, type EventStore, type Position } from '@app/eventstore';
import { isActiveAdmin, type RegisteredUser, type UserChange, userDecider, userStream } from '../domain/user.decider';
import { AdminRoster } from './admin-roster';

const MAX_ATTEMPTS = 5;

export interface UserChanged {
  /** The user after the change. */
  user: RegisteredUser;
  /** The position of the change, or of the user's last event when nothing needed to change. */
  position: Position;
}

/**
 * The one path for changing an existing user (role, deactivation, reactivation, beak), because
 * each may change who counts as an active admin. The change is decided on the user's state at one
 * version; a user who stops being an active admin leaves the admin roster first (LAST_ADMIN when
 * nobody would be left), a user who becomes one joins it after. The user's event is then appended
 * only on that same version, so the roster's check still holds; if the user changed meanwhile,
 * everything is decided again.
 */
@Injectable()
export class UserChanges {
  constructor(
    private readonly commands: CommandRunner,
    private readonly roster: AdminRoster,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async apply(userId: string, change: (user: RegisteredUser) => UserChange): Promise<UserChanged> {
    const stream = userStream(userId);
    for (let attempt = 1; ; attempt++) {
      const { state } = await this.commands.load(userDecider, stream);
      if (state.status !== 'registered') throw new NotFoundError('User', userId);
      const proposed = change(state);
      const command = { ...proposed, data: { ...proposed.data, expectedVersion: state.version } } as UserChange;
      const after = fold(userDecider, state, userDecider.decide(command, state));
      if (after.status !== 'registered') throw new Error(`User ${userId} vanished in a change`);
      if (isActiveAdmin(state) && !isActiveAdmin(after)) await this.roster.dismiss(userId, state.version + 1);
      try {
        const { position } = await this.commands.run(userDecider, stream, command);
        if (!isActiveAdmin(state) && isActiveAdmin(after)) await this.roster.admit(userId, after.version);
        return { user: after, position: position ?? (await this.lastPosition(stream)) };
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async lastPosition(stream: string): Promise<Position> {
    const [last] = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    return last.position;
  }
}
