import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';
import type { AccessClaims } from '@app/identity';

export interface CustomerForgottenAnswer {
  userId: string;
  forgotten: true;
  position: Position;
}

/** Forgets a customer's personal data (crypto-shredding): asked by that customer or an admin. */
export class ForgetCustomerCommand extends Command<CustomerForgottenAnswer> {
  constructor(
    readonly userId: string,
    readonly asker: AccessClaims,
  ) {
    super();
  }
}
