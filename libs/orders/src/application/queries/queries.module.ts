import { Injectable, Module } from '@nestjs/common';
import { CommandRunner } from '@app/core';
import { subOrderDecider, subOrderStream } from '../../domain/sub-order.decider';
import { type SubOrderLocation, SubOrderDirectory } from '../provider-updates/sub-order-directory';

/** Interim: finds a sub-order by its id from its own stream (a callback naming only the provider's reference is not found yet). */
@Injectable()
class StreamSubOrderDirectory extends SubOrderDirectory {
  constructor(private readonly commands: CommandRunner) {
    super();
  }

  async locate(providerId: string, by: { subOrderId?: string; providerRef?: string }): Promise<SubOrderLocation | null> {
    if (!by.subOrderId) return null;
    const { state } = await this.commands.load(subOrderDecider, subOrderStream(by.subOrderId));
    return state.orderId && state.providerId === providerId ? { subOrderId: by.subOrderId, orderId: state.orderId, providerId } : null;
  }
}

/** Delibery's query handlers, and the sub-order directory callbacks use (SubOrderDirectory), over its read models. */
@Module({ providers: [{ provide: SubOrderDirectory, useClass: StreamSubOrderDirectory }], exports: [SubOrderDirectory] })
export class OrdersQueriesModule {}
