import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@app/core';
import { EVENT_STORE, type EventStore, type Position } from '@app/eventstore';
import { USER_EVENT_TYPES, type UserEvent } from '../../contract/user.events';
import { ADMIN_ROSTER_STREAM, type AdminRosterCommand, adminRosterDecider } from '../../domain/admin-roster.decider';
import type { RosterEntry } from '../../domain/admin-roster.events';
import { isActiveAdmin, userDecider, type UserState } from '../../domain/user.decider';
import { UpdateAdminRosterCommand } from './update-admin-roster.command';

const PAGE = 1000;

/**
 * The admin roster stream's one writer. The roster is started, the first time it is needed, from
 * the active admins the user streams in the log hold, so a log written before the roster existed
 * keeps its admins.
 */
@Injectable()
@CommandHandler(UpdateAdminRosterCommand)
export class UpdateAdminRosterHandler implements ICommandHandler<UpdateAdminRosterCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ move, userId, asOf }: UpdateAdminRosterCommand): Promise<void> {
    const { state } = await this.commands.load(adminRosterDecider, ADMIN_ROSTER_STREAM);
    const seed = state.seeded ? undefined : await this.activeAdmins();
    const data = { userId, asOf, seed };
    const command: AdminRosterCommand = move === 'admit' ? { type: 'AdmitAdmin', data } : { type: 'DismissAdmin', data };
    await this.commands.run(adminRosterDecider, ADMIN_ROSTER_STREAM, command);
  }

  private async activeAdmins(): Promise<RosterEntry[]> {
    const users = new Map<string, UserState>();
    let from: Position | 'start' = 'start';
    for (;;) {
      const page = await this.store.readAll({ fromPosition: from, maxCount: PAGE, filter: { eventTypes: USER_EVENT_TYPES } });
      for (const event of page) {
        const state = users.get(event.streamName) ?? userDecider.initialState();
        users.set(event.streamName, userDecider.evolve(state, { type: event.type, data: event.data } as UserEvent));
      }
      if (page.length < PAGE) break;
      from = page[page.length - 1].position;
    }
    return [...users.values()].flatMap((user) => (user.status === 'registered' && isActiveAdmin(user) ? [{ userId: user.userId, asOf: user.version }] : []));
  }
}
