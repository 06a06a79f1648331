import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, CommandRunner } from '@app/core';
import { taskPricingDecider, type PricingState, taskPricingStream } from '../../domain/task-pricing.decider';
import { PRICE_DRAW, type PriceDraw } from './price-draw';
import { KnownPrices } from './known-prices';
import { type PricedTask, PriceTaskCommand } from './price-task.command';

/**
 * Prices a task once. The draw happens here, never in the decider, and is recorded in TaskPriced.
 * A task is priced on its creation, so its price list is new: the append expects no stream,
 * without reading it first. Whoever prices a task second (a redelivered TaskCreated after a
 * restart) loses that append, and the retry reads the first price and keeps it (the decider
 * decides nothing for a priced task): the second draw is thrown away, never recorded.
 */
@Injectable()
@CommandHandler(PriceTaskCommand)
export class PriceTaskHandler implements ICommandHandler<PriceTaskCommand> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(PRICE_DRAW) private readonly prices: PriceDraw,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly known: KnownPrices,
  ) {}

  async execute({ taskId, title, description }: PriceTaskCommand): Promise<PricedTask> {
    const cached = this.known.get(taskId);
    if (cached) return cached;
    const { state } = await this.commands.run(
      taskPricingDecider,
      taskPricingStream(taskId),
      { type: 'PriceTask', data: { taskId, title, description, ...this.prices.draw({ taskId, title }), pricedAt: this.clock.now().toISOString() } },
      { newStream: true },
    );
    if (state.status !== 'priced') throw new Error(`Task ${taskId} could not be priced`);
    return this.known.remember(priced(taskId, state));
  }
}

function priced(taskId: string, { status: _, ...price }: Extract<PricingState, { status: 'priced' }>): PricedTask {
  return { taskId, ...price };
}
