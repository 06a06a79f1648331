import type { TimerFired } from '@app/core';
import { timerFired, workflowSpec } from '@app/core/workflows/workflow-spec';
import type { ProviderStatus, Simulation, SimulatedOrderCancelled, SimulatedOrderReceived } from '../../contract/orders.events';
import { ReportProviderStatusCommand } from '../provider-updates/report-provider-status.command';
import { SimulatedProviderWorkflow } from './simulated-provider.workflow';

const simulated = workflowSpec(new SimulatedProviderWorkflow());
const subOrderId = '5b000000-0000-4000-8000-000000000001';
const orderId = '0d000000-0000-4000-8000-000000000001';
const providerId = 'a1000000-0000-4000-8000-000000000001';
const receivedAt = '2027-02-01T10:00:00.000Z';

function plusMs(instant: string, ms: number): string {
  return new Date(Date.parse(instant) + ms).toISOString();
}

const received = (simulation: Simulation, at = receivedAt): SimulatedOrderReceived => ({ type: 'SimulatedOrderReceived', data: { subOrderId, orderId, providerId, simulation, receivedAt: at } });
const cancelled: SimulatedOrderCancelled = { type: 'SimulatedOrderCancelled', data: { subOrderId, orderId, providerId, cancelledAt: plusMs(receivedAt, 50) } };
const normal = received({ acceptAfterMs: 100, stepMs: 1000, reject: false });
const rejecting = received({ acceptAfterMs: 100, stepMs: 1000, reject: true });

/** The step timer firing for this sub-order's instance. */
function step(at: string): TimerFired<'step'> {
  const fired = timerFired('step', at);
  return { ...fired, data: { ...fired.data, instanceId: subOrderId } };
}

const report = (n: number, status: ProviderStatus, at: string) =>
  new ReportProviderStatusCommand({ subOrderId, orderId, providerId, eventId: `sim-${subOrderId}-${n}`, status, at, source: 'simulated' });

/** The instants of the steps: accepted at +100 ms, then one every 1000 ms. */
const stepAt = (n: number) => plusMs(receivedAt, 100 + n * 1000);

describe('simulated provider workflow', () => {
  it('a sub-order received sets its first step acceptAfterMs later', () => {
    simulated.given([]).when(normal).then({ schedule: [{ id: 'step', at: stepAt(0) }] });
  });

  it('it accepts, then moves one status along every stepMs until delivered, each with an event id of its own', () => {
    const statuses: ProviderStatus[] = ['accepted', 'preparing', 'ready', 'picked_up', 'delivered'];
    const before: (SimulatedOrderReceived | TimerFired<'step'>)[] = [normal];
    statuses.forEach((status, n) => {
      const last = n === statuses.length - 1;
      simulated.given(before).when(step(stepAt(n))).then({ commands: [report(n, status, stepAt(n))], schedule: last ? [] : [{ id: 'step', at: stepAt(n + 1) }] });
      before.push(step(stepAt(n)));
    });
    // Delivered: nothing further, whatever fires.
    simulated.given(before).when(step(stepAt(5))).thenNothing();
    simulated.given(before).when(step(stepAt(4))).thenTimers({});
  });

  it('a rejecting one rejects at its first step, and goes no further', () => {
    simulated.given([]).when(rejecting).then({ schedule: [{ id: 'step', at: stepAt(0) }] });
    simulated.given([rejecting]).when(step(stepAt(0))).then({ commands: [report(0, 'rejected', stepAt(0))] });
    simulated.given([rejecting, step(stepAt(0))]).when(step(stepAt(1))).thenNothing();
  });

  it('a submit received again (a retry) does not start it over', () => {
    simulated.given([normal]).when(received({ acceptAfterMs: 100, stepMs: 1000, reject: false }, plusMs(receivedAt, 500))).thenNothing();
    simulated.given([normal, step(stepAt(0))]).when(received({ acceptAfterMs: 100, stepMs: 1000, reject: false }, plusMs(receivedAt, 500))).thenNothing();
  });

  it('a cancel stops it: its step timer is cancelled and a firing already on its way reports nothing', () => {
    simulated.given([normal]).when(cancelled).then({ cancel: ['step'] });
    simulated.given([normal]).when(cancelled).thenTimers({});
    simulated.given([normal, step(stepAt(0)), cancelled]).when(step(stepAt(1))).thenNothing();
    // Even a firing of the step scheduled before the cancel (its generation) does nothing.
    simulated.given([normal, step(stepAt(0)), cancelled]).when({ ...step(stepAt(1)), data: { ...step(stepAt(1)).data, generation: 2 } }).thenNothing();
  });
});
