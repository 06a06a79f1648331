import { Command } from '@nestjs/cqrs';

/**
 * Who is an active admin, for the last-admin rule (see adminRosterDecider): `dismiss` before the
 * user's event that ends their being an active admin (refused with LAST_ADMIN when nobody else on
 * the roster is one), `admit` after the user's event that makes them one. `asOf` is the revision
 * of the user's stream the fact is about. Dispatched by the handlers that register and change users.
 */
export class UpdateAdminRosterCommand extends Command<void> {
  constructor(
    readonly move: 'admit' | 'dismiss',
    readonly userId: string,
    readonly asOf: number,
  ) {
    super();
  }
}
