import { spec } from '@app/core/testing/given-when-then';
import type { TaskPriced } from '../contract/accounting.events';
import { InvalidPrice } from './accounting.errors';
import { type PriceTask, taskPricingDecider } from './task-pricing.decider';

const taskId = '7d1c3a52-4b8e-4a8f-9a57-1f6f3c0b2e10';
const price = (assignmentFee: number, completionReward: number): PriceTask => ({
  type: 'PriceTask',
  data: { taskId, title: 'fix login', description: 'd', assignmentFee, completionReward, pricedAt: '2024-05-01T09:00:00.000Z' },
});
const priced = (assignmentFee: number, completionReward: number): TaskPriced => ({ type: 'TaskPriced', data: price(assignmentFee, completionReward).data });

describe('task pricing decider', () => {
  it('records the drawn prices', () => {
    spec(taskPricingDecider).given([]).when(price(12, 35)).then([priced(12, 35)]);
  });

  it('accepts the bounds of each range', () => {
    spec(taskPricingDecider).given([]).when(price(10, 20)).then([priced(10, 20)]);
    spec(taskPricingDecider).given([]).when(price(20, 40)).then([priced(20, 40)]);
  });

  it('prices a task once: the first price wins', () => {
    spec(taskPricingDecider).given([priced(12, 35)]).when(price(19, 21)).then([]);
  });

  it.each([
    [9, 30],
    [21, 30],
    [15, 19],
    [15, 41],
    [12.5, 30],
  ])('refuses a fee of %d with a reward of %d', (fee, reward) => {
    spec(taskPricingDecider).given([]).when(price(fee, reward)).thenThrows(InvalidPrice);
  });
});
