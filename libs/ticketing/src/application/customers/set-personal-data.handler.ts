import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner, ConsistencyWaiter, PLATFORM_CONFIG, type PlatformConfig } from '@app/core';
import { customersProjection } from '@app/projections/ticketing/customers/customers.projection';
import { customerDecider, customerStream } from '../../domain/customer.decider';
import { CustomerKeyVault } from './customer-key-vault';
import { encryptPersonalData } from './personal-data-cipher';
import { type PersonalDataSet, SetPersonalDataCommand } from './set-personal-data.command';

/**
 * Encrypts the customer's details under their data key (made on their first data, or after they
 * were forgotten) and records the ciphertext; the clear text goes nowhere but the answer. Answers
 * once the customers read model has it, so the customer's next reservation shows it (503
 * READ_MODEL_LAGGING past CONSISTENCY_TIMEOUT_MS: it is stored, and a retry sets it again).
 */
@Injectable()
@CommandHandler(SetPersonalDataCommand)
export class SetPersonalDataHandler implements ICommandHandler<SetPersonalDataCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly vault: CustomerKeyVault,
    private readonly waiter: ConsistencyWaiter,
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ userId, details }: SetPersonalDataCommand): Promise<PersonalDataSet> {
    const { keyId, dataKey } = await this.vault.keyFor(userId);
    const sealed = encryptPersonalData(dataKey, details, { userId, keyId });
    const { position } = await this.commands.run(customerDecider, customerStream(userId), {
      type: 'SetPersonalData',
      data: { userId, keyId, ...sealed, setAt: this.clock.now().toISOString() },
    });
    await this.waiter.waitFor([customersProjection], position!, this.platform.consistencyTimeoutMs, undefined, { throughReactions: false });
    return { userId, fullName: details.fullName, email: details.email, phone: details.phone, position: position! };
  }
}
