import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { taskPricingDecider, type PricingState, taskPricingStream } from '../../domain/task-pricing.decider';
import { PRICE_DRAW, type PriceDraw } from './price-draw';
import { type PricedTask, PriceTaskCommand } from './price-task.command';

/** How many priced tasks are kept in memory (both process managers price a task on its creation). */
const MAX_KNOWN = 10_000;

/**
 * Prices a task once. The draw happens here, never in the decider, and is recorded in TaskPriced.
 * Whoever prices a task second (a redelivered TaskCreated, or the other process manager that
 * prices on creation) loses the race for the pricing stream or finds it priced, and keeps the
 * first price: the decider decides nothing for a priced task.
 */
@Injectable()
@CommandHandler(PriceTaskCommand)
export class PriceTaskHandler implements ICommandHandler<PriceTaskCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(PRICE_DRAW) private readonly prices: PriceDraw,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Tasks priced here or seen priced; a price never changes once set, so they are not read again. */
  private readonly known = new Map<string, PricedTask>();

  async execute({ taskId, title, description }: PriceTaskCommand): Promise<PricedTask> {
    const cached = this.known.get(taskId);
    if (cached) return cached;
    const stream = taskPricingStream(taskId);
    // A priced task keeps its price: no draw for it (a draw may cost, and a scripted one counts).
    const known = await this.commands.load(taskPricingDecider, stream);
    if (known.state.status === 'priced') return this.remember(priced(taskId, known.state));
    // Just read empty, so the append expects no stream without reading it again; should someone
    // have priced the task since, that append fails, and the retry reads the price and keeps it.
    const { state } = await this.commands.run(
      taskPricingDecider,
      stream,
      { type: 'PriceTask', data: { taskId, title, description, ...this.prices.draw({ taskId, title }), pricedAt: this.clock.now().toISOString() } },
      { newStream: known.revision === null },
    );
    if (state.status !== 'priced') throw new Error(`Task ${taskId} could not be priced`);
    return this.remember(priced(taskId, state));
  }

  private remember(task: PricedTask): PricedTask {
    this.known.set(task.taskId, task);
    if (this.known.size > MAX_KNOWN) this.known.delete(this.known.keys().next().value!);
    return task;
  }
}

function priced(taskId: string, { status: _, ...price }: Extract<PricingState, { status: 'priced' }>): PricedTask {
  return { taskId, ...price };
}
