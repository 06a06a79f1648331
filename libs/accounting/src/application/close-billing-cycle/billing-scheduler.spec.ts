import type { CommandBus } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import { loadAccountingConfig } from '../accounting.config';
import { BillingScheduler } from './billing-scheduler';
import type { CloseDueBillingCycleCommand } from './close-due-billing-cycle.command';

function scheduler(dayEnd: string, commands = {} as CommandBus): BillingScheduler {
  const clock = { now: () => new Date() };
  const logger = { info: jest.fn(), warn: jest.fn() } as unknown as Logger;
  return new BillingScheduler(commands, loadAccountingConfig({ BILLING_DAY_END: dayEnd }), clock, logger);
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

  it('stops a close in progress at shutdown instead of waiting for it to finish', async () => {
    let signal: AbortSignal | undefined;
    const commands = {
      execute: (command: CloseDueBillingCycleCommand) => {
        const given = command.signal!;
        signal = given;
        return new Promise((_, reject) => given.addEventListener('abort', () => reject(given.reason)));
      },
    } as unknown as CommandBus;
    const running = scheduler('00:00', commands);
    running.onApplicationBootstrap();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(signal?.aborted).toBe(false);
    await running.beforeApplicationShutdown();
    expect(signal?.aborted).toBe(true);
  });
});
