import type { Logger } from 'pino';
import { loadAccountingConfig } from '../accounting.config';
import type { BillingCycleCloser } from './billing-cycle-closer';
import { BillingScheduler } from './billing-scheduler';

function scheduler(dayEnd: string): BillingScheduler {
  const clock = { now: () => new Date() };
  return new BillingScheduler({} as BillingCycleCloser, loadAccountingConfig({ BILLING_DAY_END: dayEnd }), clock, {} as Logger);
}

describe('billing scheduler', () => {
  it('with the default day end, closes yesterday from midnight UTC on', () => {
    expect(scheduler('00:00').dueDate(new Date('2024-05-02T00:00:00.000Z'))).toBe('2024-05-01');
    expect(scheduler('00:00').dueDate(new Date('2024-05-01T23:59:59.999Z'))).toBe('2024-04-30');
  });

  it('with BILLING_DAY_END, closes the previous day only once that time of day has passed', () => {
    expect(scheduler('06:00').dueDate(new Date('2024-05-02T05:59:59.000Z'))).toBe('2024-04-30');
    expect(scheduler('06:00').dueDate(new Date('2024-05-02T06:00:00.000Z'))).toBe('2024-05-01');
  });

  it('crosses months and years', () => {
    expect(scheduler('00:00').dueDate(new Date('2025-01-01T00:30:00.000Z'))).toBe('2024-12-31');
    expect(scheduler('00:00').dueDate(new Date('2024-03-01T08:00:00.000Z'))).toBe('2024-02-29');
  });
});
