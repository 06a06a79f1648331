import { assertNever, type Decider } from '@app/core/domain';
import type { PricingEvent, TaskPriced } from '../contract/accounting.events';
import { InvalidPrice } from './accounting.errors';

/** Whole numbers, bounds included. */
export const ASSIGNMENT_FEE = { min: 10, max: 20 } as const;
export const COMPLETION_REWARD = { min: 20, max: 40 } as const;

/** The prices were drawn by the handler; the decider checks them and records them, once. */
export type PriceTask = { type: 'PriceTask'; data: TaskPriced['data'] };

export type PricingCommand = PriceTask;

export type TaskPrice = { assignmentFee: number; completionReward: number };

export type PricingState = { status: 'unpriced' } | ({ status: 'priced'; title: string; description: string } & TaskPrice);

/**
 * A task's price list, in stream `task-pricing-<taskId>`. The first price recorded wins: pricing
 * an already priced task decides nothing, so whoever prices a task second (a redelivery, or the
 * account poster making sure of the price) keeps the first price.
 */
export const taskPricingDecider: Decider<PricingCommand, PricingEvent, PricingState> = {
  initialState: () => ({ status: 'unpriced' }),

  decide(command, state) {
    switch (command.type) {
      case 'PriceTask': {
        if (state.status === 'priced') return [];
        const { assignmentFee, completionReward } = command.data;
        checkRange('assignmentFee', assignmentFee, ASSIGNMENT_FEE);
        checkRange('completionReward', completionReward, COMPLETION_REWARD);
        return [{ type: 'TaskPriced', data: command.data }];
      }
      default:
        return assertNever(command.type);
    }
  },

  evolve(_, event) {
    switch (event.type) {
      case 'TaskPriced': {
        const { title, description, assignmentFee, completionReward } = event.data;
        return { status: 'priced', title, description, assignmentFee, completionReward };
      }
      default:
        return assertNever(event.type);
    }
  },
};

function checkRange(what: string, value: number, { min, max }: { min: number; max: number }): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new InvalidPrice(what, value, min, max);
}

export function taskPricingStream(taskId: string): string {
  return `task-pricing-${taskId}`;
}
