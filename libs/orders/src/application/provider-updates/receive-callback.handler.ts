import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner, NotFoundError } from '@app/core';
import type { Position } from '@app/eventstore';
import { BadSignature } from '../../domain/orders.errors';
import { providerDecider, providerStream } from '../../domain/provider.decider';
import { ReceiveCallbackCommand } from './receive-callback.command';
import { ReportProviderStatusCommand } from './report-provider-status.command';
import { SubOrderDirectory } from './sub-order-directory';

/** `sha256=<hex>`, the HMAC-SHA256 of the raw body with the provider's secret, compared in constant time. */
export function signatureMatches(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A provider's callback: its signature is checked against the provider's secret before anything
 * else (401 ORDERS_BAD_SIGNATURE, also for a provider that does not exist, so callers learn
 * nothing), the sub-order found by its id or the provider's reference, and the update recorded
 * (RecordProviderUpdate: once per eventId, a backwards one recorded as ignored).
 */
@Injectable()
@CommandHandler(ReceiveCallbackCommand)
export class ReceiveCallbackHandler implements ICommandHandler<ReceiveCallbackCommand> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly directory: SubOrderDirectory,
    private readonly bus: CommandBus,
  ) {}

  async execute({ providerId, rawBody, signature, body }: ReceiveCallbackCommand): Promise<{ recorded: boolean; position: Position | null }> {
    const { state } = await this.commands.load(providerDecider, providerStream(providerId));
    if (!state.provider || !signatureMatches(state.provider.secret, rawBody, signature)) throw new BadSignature();
    const location = await this.directory.locate(providerId, { subOrderId: body.subOrderId, providerRef: body.providerRef });
    if (!location) throw new NotFoundError('Sub-order', body.subOrderId ?? body.providerRef ?? '');
    return this.bus.execute(new ReportProviderStatusCommand({ ...location, eventId: body.eventId, status: body.status, at: body.at, source: 'callback' }));
  }
}
