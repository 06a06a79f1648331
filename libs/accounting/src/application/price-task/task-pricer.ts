import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, CommandRunner, EventSchemaRegistry } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import type { TaskCreated } from '@app/tasks';
import { taskStream } from '@app/tasks/domain/task.decider';
import { type TaskPrice, taskPricingDecider, taskPricingStream } from '../../domain/task-pricing.decider';
import { PRICE_DRAW, type PriceDraw } from './price-draw';

/** A priced task, as the accounts need it. */
export type PricedTask = TaskPrice & { taskId: string; title: string; description: string };

/**
 * Prices a task once. The draw happens here, never in the decider, and is recorded in TaskPriced.
 * The pricing stream is appended expecting no stream, so of two pricers (a redelivery, or the
 * account poster reaching an assignment before the pricer reached the creation) the first wins
 * and the other re-reads and keeps that price.
 */
@Injectable()
export class TaskPricer {
  constructor(
    private readonly commands: CommandRunner,
    private readonly schemas: EventSchemaRegistry,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PRICE_DRAW) private readonly prices: PriceDraw,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The task's price, drawn and recorded now if it has none yet. `task` saves reading the task's stream. */
  async ensurePriced(taskId: string, task?: { title: string; description: string }): Promise<PricedTask> {
    const stream = taskPricingStream(taskId);
    const known = await this.commands.load(taskPricingDecider, stream);
    if (known.state.status === 'priced') return { taskId, ...known.state };
    const { title, description } = task ?? (await this.readTask(taskId));
    await this.commands.run(taskPricingDecider, stream, {
      type: 'PriceTask',
      data: { taskId, title, description, ...this.prices.draw({ taskId, title }), pricedAt: this.clock.now().toISOString() },
    });
    const { state } = await this.commands.load(taskPricingDecider, stream);
    if (state.status !== 'priced') throw new Error(`Task ${taskId} could not be priced`);
    return { taskId, ...state };
  }

  private async readTask(taskId: string): Promise<TaskCreated['data']> {
    const [first] = await this.store.readStream(taskStream(taskId), { maxCount: 1 });
    if (first?.type !== 'TaskCreated') throw new Error(`Task ${taskId} has no TaskCreated event to price it from`);
    return this.schemas.upcast(first).data as TaskCreated['data'];
  }
}
