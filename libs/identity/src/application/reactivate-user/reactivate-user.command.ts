import { Command } from '@nestjs/cqrs';
import type { ActivationChange } from '../deactivate-user/deactivate-user.command';

/** The user can log in again; tokens issued before the deactivation stay void. */
export class ReactivateUserCommand extends Command<ActivationChange> {
  constructor(readonly userId: string) {
    super();
  }
}
