import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, deterministicId } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import type { SimulatedOrderCancelled, SimulatedOrderReceived } from '../../contract/orders.events';
import type { PolledStatus, ProviderAdapter, ProviderInfo, SubOrderRequest } from './provider-adapter';

export function simulatedOrderStream(subOrderId: string): string {
  return `orders-simulated-${subOrderId}`;
}

const DEFAULT_SIMULATION = { acceptAfterMs: 1000, stepMs: 2000, reject: false };

/**
 * The `simulated` provider, inside the worker: a submit is recorded as the provider receiving the
 * sub-order (once per sub-order, whatever the retries), and its workflow
 * (`SimulatedProviderWorkflow`) then reports its statuses on its own timers; a cancel is recorded
 * and stops it. Its reference for a sub-order is `sim-<subOrderId>`.
 */
@Injectable()
export class SimulatedProviderAdapter implements ProviderAdapter {
  readonly kind = 'simulated' as const;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async submit(provider: ProviderInfo, subOrder: SubOrderRequest): Promise<{ providerRef: string }> {
    const received: SimulatedOrderReceived = {
      type: 'SimulatedOrderReceived',
      data: {
        subOrderId: subOrder.subOrderId,
        orderId: subOrder.orderId,
        providerId: provider.providerId,
        simulation: provider.simulation ?? DEFAULT_SIMULATION,
        receivedAt: this.clock.now().toISOString(),
      },
    };
    await this.store.appendToStream(simulatedOrderStream(subOrder.subOrderId), [
      { id: deterministicId(subOrder.subOrderId, 'simulated-received'), type: received.type, data: received.data, metadata: { schemaVersion: 1 } },
    ]);
    return { providerRef: `sim-${subOrder.subOrderId}` };
  }

  async cancel(provider: ProviderInfo, subOrder: { subOrderId: string; providerRef: string }): Promise<void> {
    const [received] = await this.store.readStream(simulatedOrderStream(subOrder.subOrderId), { maxCount: 1 });
    const cancelled: SimulatedOrderCancelled = {
      type: 'SimulatedOrderCancelled',
      data: {
        subOrderId: subOrder.subOrderId,
        orderId: (received?.data as SimulatedOrderReceived['data'] | undefined)?.orderId ?? '',
        providerId: provider.providerId,
        cancelledAt: this.clock.now().toISOString(),
      },
    };
    await this.store.appendToStream(simulatedOrderStream(subOrder.subOrderId), [
      { id: deterministicId(subOrder.subOrderId, 'simulated-cancelled'), type: cancelled.type, data: cancelled.data, metadata: { schemaVersion: 1 } },
    ]);
  }

  /** Its statuses are reported by its workflow as they happen; polling it adds nothing. */
  async poll(): Promise<{ status: PolledStatus }> {
    return { status: 'pending' };
  }
}
