import { randomInt } from 'node:crypto';
import { ASSIGNMENT_FEE, COMPLETION_REWARD, type TaskPrice } from '../../domain/task-pricing.decider';

/** Where a task's prices come from: random in production, scripted in tests. */
export interface PriceDraw {
  draw(task: { taskId: string; title: string }): TaskPrice;
}

export const PRICE_DRAW = Symbol('PRICE_DRAW');

/** Uniform whole numbers over each range, bounds included. */
export const randomPriceDraw: PriceDraw = {
  draw: () => ({
    assignmentFee: randomInt(ASSIGNMENT_FEE.min, ASSIGNMENT_FEE.max + 1),
    completionReward: randomInt(COMPLETION_REWARD.min, COMPLETION_REWARD.max + 1),
  }),
};
