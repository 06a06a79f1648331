import { Injectable } from '@nestjs/common';
import { AsWorkflow, type TimerFired, type Workflow, type WorkflowDecision, type WorkflowEvent } from '@app/core';
import { assertNever } from '@app/core/domain';
import type { ProviderStatus, Simulation, SimulatedProviderEvent } from '../../contract/orders.events';
import { ReportProviderStatusCommand } from '../provider-updates/report-provider-status.command';

export type SimulatedStep = TimerFired<'step', null>;

export interface SimulatedState {
  orderId: string | null;
  providerId: string | null;
  simulation: Simulation | null;
  /** Statuses reported so far. */
  step: number;
  stopped: boolean;
}

const STEPS: readonly ProviderStatus[] = ['accepted', 'preparing', 'ready', 'picked_up', 'delivered'];

/**
 * The simulated provider at work, one instance per sub-order it received: `acceptAfterMs` after
 * receiving it, it accepts (or rejects, with `reject`), then moves it one status along every
 * `stepMs` until delivered; a cancel stops it. Each status is reported as a provider update whose
 * event id is derived from the sub-order and the step, so a repeated firing reports nothing twice.
 */
@Injectable()
@AsWorkflow<SimulatedProviderEvent>({
  name: 'orders-simulated-provider',
  eventTypes: ['SimulatedOrderReceived', 'SimulatedOrderCancelled'],
  keyOf: (event) => event.data.subOrderId,
  emits: ['SubOrderStatusReported'],
})
export class SimulatedProviderWorkflow implements Workflow<SimulatedProviderEvent, SimulatedState, ReportProviderStatusCommand, SimulatedStep> {
  initialState(): SimulatedState {
    return { orderId: null, providerId: null, simulation: null, step: 0, stopped: false };
  }

  decide(event: WorkflowEvent<SimulatedProviderEvent, SimulatedStep>, state: SimulatedState): WorkflowDecision<ReportProviderStatusCommand> {
    switch (event.type) {
      case 'SimulatedOrderReceived':
        return state.simulation ? {} : { schedule: [{ id: 'step', at: new Date(Date.parse(event.data.receivedAt) + event.data.simulation.acceptAfterMs).toISOString() }] };
      case 'SimulatedOrderCancelled':
        return { cancel: ['step'] };
      case 'WorkflowTimerFired': {
        if (state.stopped || !state.simulation || !state.orderId || !state.providerId) return {};
        const status = state.simulation.reject ? 'rejected' : STEPS[state.step];
        const subOrderId = event.data.instanceId;
        const report = new ReportProviderStatusCommand({
          subOrderId,
          orderId: state.orderId,
          providerId: state.providerId,
          eventId: `sim-${subOrderId}-${state.step}`,
          status,
          at: event.data.firedAt,
          source: 'simulated',
        });
        const last = status === 'rejected' || state.step === STEPS.length - 1;
        return { commands: [report], schedule: last ? [] : [{ id: 'step', at: new Date(Date.parse(event.data.firedAt) + state.simulation.stepMs).toISOString() }] };
      }
      case 'WorkflowStarted':
        return {};
      default:
        return assertNever(event);
    }
  }

  evolve(state: SimulatedState, event: WorkflowEvent<SimulatedProviderEvent, SimulatedStep>): SimulatedState {
    switch (event.type) {
      case 'SimulatedOrderReceived':
        return state.simulation ? state : { ...state, orderId: event.data.orderId, providerId: event.data.providerId, simulation: event.data.simulation };
      case 'SimulatedOrderCancelled':
        return { ...state, stopped: true };
      case 'WorkflowTimerFired': {
        const done = state.stopped || !state.simulation || state.simulation.reject || state.step >= STEPS.length - 1;
        return { ...state, step: state.step + 1, stopped: done };
      }
      case 'WorkflowStarted':
        return state;
      default:
        return assertNever(event);
    }
  }
}
