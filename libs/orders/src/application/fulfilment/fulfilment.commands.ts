import { Command } from '@nestjs/cqrs';
import type { OrderCancelled } from '../../contract/orders.events';

/** Submit a sub-order to its provider through its adapter (idempotent at the provider by the sub-order's id). */
export class SubmitSubOrderCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly subOrderId: string,
  ) {
    super();
  }
}

/** Ask the provider for a sub-order's status (callbacks are late). */
export class PollSubOrderCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly subOrderId: string,
  ) {
    super();
  }
}

/** The sub-order was not accepted in time: record it timed out (if it still is pending). */
export class TimeOutSubOrderCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly subOrderId: string,
  ) {
    super();
  }
}

/** Compensation: cancel a sub-order at its provider, and record the outcome. */
export class CancelSubOrderCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly subOrderId: string,
  ) {
    super();
  }
}

/** Every sub-order that had to be is cancelled: the order is cancelled. */
export class CompleteCancellationCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly reason: OrderCancelled['data']['reason'],
  ) {
    super();
  }
}

export type FulfilmentCommand = SubmitSubOrderCommand | PollSubOrderCommand | TimeOutSubOrderCommand | CancelSubOrderCommand | CompleteCancellationCommand;
