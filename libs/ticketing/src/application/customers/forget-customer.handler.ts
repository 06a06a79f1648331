import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner, defineError, FORBIDDEN, IdempotencyStore } from '@app/core';
import { encodePosition, EVENT_STORE, type EventStore } from '@app/eventstore';
import { customerDecider, customerStream } from '../../domain/customer.decider';
import { CustomerKeyVault } from './customer-key-vault';
import { type CustomerForgottenAnswer, ForgetCustomerCommand } from './forget-customer.command';

/** 403 FORBIDDEN: a customer's personal data is forgotten by that customer or an admin only. */
export class NotTheCustomer extends defineError(FORBIDDEN) {
  override readonly name = 'NotTheCustomer';

  constructor(userId: string) {
    super(`Only user ${userId} or an admin may forget their personal data`, { userId });
  }
}

/**
 * Destroys the customer's data keys (and the answers kept for their Idempotency-Key requests) first, then records CustomerForgotten: from the delete on, no
 * answer can decrypt their data (reads join the key), whatever the read model has applied yet, and
 * a crash between the two leaves the key gone and a retry that records the event. Forgetting again,
 * or a customer who never gave any data, changes nothing and answers the same.
 */
@Injectable()
@CommandHandler(ForgetCustomerCommand)
export class ForgetCustomerHandler implements ICommandHandler<ForgetCustomerCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly vault: CustomerKeyVault,
    private readonly idempotency: IdempotencyStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ userId, asker }: ForgetCustomerCommand): Promise<CustomerForgottenAnswer> {
    if (asker.userId !== userId && asker.role !== 'admin') throw new NotTheCustomer(userId);
    await this.vault.destroy(userId);
    // Answers kept for the customer's Idempotency-Key requests hold their data in clear: gone too.
    await this.idempotency.forgetCaller(userId);
    const { position } = await this.commands.run(customerDecider, customerStream(userId), {
      type: 'ForgetCustomer',
      data: { userId, forgottenAt: this.clock.now().toISOString() },
    });
    // A customer with no stream (never gave data): the log's head, so `?after=` reads are as fresh as this answer.
    return { userId, forgotten: true, position: position ?? (await this.store.headPosition()) ?? encodePosition(0n, 0n) };
  }
}
