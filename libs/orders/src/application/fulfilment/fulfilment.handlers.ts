import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { orderDecider, orderStream } from '../../domain/order.decider';
import { isFinal, subOrderDecider, subOrderStream } from '../../domain/sub-order.decider';
import { ProviderAdapters } from '../adapters/provider-adapter';
import { ReportProviderStatusCommand } from '../provider-updates/report-provider-status.command';
import { CommandBus } from '@nestjs/cqrs';
import {
  CancelSubOrderCommand,
  CompleteCancellationCommand,
  PollSubOrderCommand,
  SubmitSubOrderCommand,
  TimeOutSubOrderCommand,
} from './fulfilment.commands';
import { type SubOrderContext, SubOrders } from './sub-orders';

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

/** Runs the sub-order decider on a sub-order's stream. Its subclasses take its constructor (Nest reads the injection metadata up the class chain). */
@Injectable()
abstract class SubOrderHandler {
  constructor(
    protected readonly commands: CommandRunner,
    protected readonly subOrders: SubOrders,
    protected readonly adapters: ProviderAdapters,
    @Inject(CLOCK) protected readonly clock: Clock,
  ) {}

  protected record(context: SubOrderContext, command: { type: string; data: object }) {
    const ids = { subOrderId: context.plan.subOrderId, orderId: context.order.orderId, providerId: context.plan.providerId };
    return this.commands.run(subOrderDecider, subOrderStream(context.plan.subOrderId), {
      ...command,
      data: { ...ids, ...command.data, at: this.clock.now().toISOString() },
    } as Parameters<typeof subOrderDecider.decide>[0]);
  }

  protected request(context: SubOrderContext) {
    return { subOrderId: context.plan.subOrderId, orderId: context.order.orderId, items: context.plan.items, deliveryAddress: context.order.deliveryAddress };
  }
}

/** Submits a sub-order once it has no reference yet; the outcome (the reference, or why it failed) goes on its stream. */
@Injectable()
@CommandHandler(SubmitSubOrderCommand)
export class SubmitSubOrderHandler extends SubOrderHandler implements ICommandHandler<SubmitSubOrderCommand> {
  async execute({ orderId, subOrderId }: SubmitSubOrderCommand): Promise<void> {
    const context = await this.subOrders.load(orderId, subOrderId);
    // Submitted already, or over. A sub-order a callback moved on before its submit's answer came
    // (the submit timed out at a provider that had made the order) is submitted again for its reference.
    if (context.state.providerRef !== null || isFinal(context.state.status)) return;
    try {
      const { providerRef } = await this.adapters.of(context.provider.adapter).submit(context.provider, this.request(context));
      await this.record(context, { type: 'RecordSubmitted', data: { providerRef } });
    } catch (error) {
      await this.record(context, { type: 'RecordSubmitFailed', data: { error: reason(error) } });
    }
  }
}

/** Cancels a sub-order at its provider (compensation); one never submitted is submitted first, to learn its reference, since the provider may have it. */
@Injectable()
@CommandHandler(CancelSubOrderCommand)
export class CancelSubOrderHandler extends SubOrderHandler implements ICommandHandler<CancelSubOrderCommand> {
  async execute({ orderId, subOrderId }: CancelSubOrderCommand): Promise<void> {
    const context = await this.subOrders.load(orderId, subOrderId);
    if (context.state.status === 'cancelled' || context.state.status === 'rejected') return;
    const adapter = this.adapters.of(context.provider.adapter);
    try {
      const providerRef = context.state.providerRef ?? (await adapter.submit(context.provider, this.request(context))).providerRef;
      await adapter.cancel(context.provider, { subOrderId, providerRef });
      await this.record(context, { type: 'RecordCancelled', data: {} });
    } catch (error) {
      await this.record(context, { type: 'RecordCancelFailed', data: { error: reason(error) } });
    }
  }
}

/** Asks an http provider for a sub-order's status; a status it has not reported yet is recorded as its update. */
@Injectable()
@CommandHandler(PollSubOrderCommand)
export class PollSubOrderHandler implements ICommandHandler<PollSubOrderCommand> {
  constructor(
    private readonly subOrders: SubOrders,
    private readonly adapters: ProviderAdapters,
    private readonly bus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ orderId, subOrderId }: PollSubOrderCommand): Promise<void> {
    const context = await this.subOrders.load(orderId, subOrderId);
    if (context.state.providerRef === null) return;
    let polled;
    try {
      polled = await this.adapters.of(context.provider.adapter).poll(context.provider, { subOrderId, providerRef: context.state.providerRef });
    } catch {
      return; // The next poll tries again; a failed poll changes nothing.
    }
    if (polled.status === 'pending' || polled.status === context.state.status) return;
    await this.bus.execute(
      new ReportProviderStatusCommand({
        subOrderId,
        orderId,
        providerId: context.plan.providerId,
        eventId: `poll-${subOrderId}-${polled.status}`,
        status: polled.status,
        at: polled.at ?? this.clock.now().toISOString(),
        source: 'poll',
      }),
    );
  }
}

@Injectable()
@CommandHandler(TimeOutSubOrderCommand)
export class TimeOutSubOrderHandler extends SubOrderHandler implements ICommandHandler<TimeOutSubOrderCommand> {
  async execute({ orderId, subOrderId }: TimeOutSubOrderCommand): Promise<void> {
    await this.record(await this.subOrders.load(orderId, subOrderId), { type: 'TimeOut', data: {} });
  }
}

@Injectable()
@CommandHandler(CompleteCancellationCommand)
export class CompleteCancellationHandler implements ICommandHandler<CompleteCancellationCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ orderId, reason: why }: CompleteCancellationCommand): Promise<void> {
    await this.commands.run(orderDecider, orderStream(orderId), { type: 'CompleteCancellation', data: { orderId, reason: why, cancelledAt: this.clock.now().toISOString() } });
  }
}
