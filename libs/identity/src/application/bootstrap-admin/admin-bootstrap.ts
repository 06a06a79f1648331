import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import { LOGGER } from '@app/core';
import { EmailTaken } from '../../domain/identity.errors';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config';
import { RegisterUserCommand } from '../register-user/register-user.command';

/**
 * Creates the first admin from BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_BEAK when no user has
 * that email. It is an ordinary registration, dispatched through the command bus (whose handlers
 * are registered by then: the global CqrsModule's start-up hook runs first), so it is idempotent
 * across restarts, and of two processes starting together exactly one registers: the other finds
 * the email taken.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly commandBus: CommandBus,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin) return;
    try {
      const { userId } = await this.commandBus.execute(new RegisterUserCommand(admin.name, admin.email, admin.beak, 'admin'));
      this.logger.info({ userId, email: admin.email }, 'bootstrap admin created');
    } catch (error) {
      if (!(error instanceof EmailTaken)) throw error;
      this.logger.info({ email: admin.email }, 'bootstrap admin not needed: a user with that email exists');
    }
  }
}
