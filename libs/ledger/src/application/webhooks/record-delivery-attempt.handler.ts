import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@app/core';
import type { Position } from '@app/eventstore';
import { deliveryDecider, deliveryStream, type DeliveryState } from '../../domain/webhook.decider';
import { LEDGER_CONFIG, type LedgerConfig } from '../ledger.config';
import { RecordDeliveryAttemptCommand } from './record-delivery-attempt.command';

/** Records an attempt on the delivery's stream; the jitter of the next attempt's delay is drawn here and recorded in its `retryAt`. */
@Injectable()
@CommandHandler(RecordDeliveryAttemptCommand)
export class RecordDeliveryAttemptHandler implements ICommandHandler<RecordDeliveryAttemptCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(LEDGER_CONFIG) private readonly config: Pick<LedgerConfig, 'webhooks'>,
  ) {}

  async execute({ delivery, attemptedAt, outcome }: RecordDeliveryAttemptCommand): Promise<{ state: DeliveryState; position: Position | null; revision: bigint | null }> {
    const { maxAttempts, backoffMs, maxBackoffMs } = this.config.webhooks;
    const { state, events, position, nextExpectedRevision } = await this.commands.run(deliveryDecider, deliveryStream(delivery.deliveryId), {
      type: 'RecordDeliveryAttempt',
      data: { ...delivery, attemptedAt, outcome, policy: { maxAttempts, baseMs: backoffMs, maxMs: maxBackoffMs }, jitter: randomInt(1_000_000) / 1_000_000 },
    });
    // Nothing recorded (an attempt after the delivery was delivered): nothing for the dispatcher to wait for.
    return events.length > 0 ? { state, position, revision: nextExpectedRevision } : { state, position: null, revision: null };
  }
}
