import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import { ConsistentQuery, type HttpRequest, rawRequestOf, ReadsFrom } from '@app/core';
import { type AccessClaims, Authorize, Caller } from '@app/identity';
import { ordersProjection } from '@app/projections/orders/orders/orders.projection';
import { providersProjection } from '@app/projections/orders/providers/providers.projection';
import { CancelOrderCommand } from '../application/cancel-order/cancel-order.command';
import { GetOrderQuery } from '../application/queries/get-order/get-order.query';
import { ListMyOrdersQuery } from '../application/queries/list-my-orders/list-my-orders.query';
import { ListOrdersQuery } from '../application/queries/list-orders/list-orders.query';
import { ListProvidersQuery } from '../application/queries/list-providers/list-providers.query';
import { OrderUpdatesFeed } from '../application/queries/order-updates/order-updates-feed';
import { ListOrdersRequest, ORDERS_PAGE_SIZE, OrderPageResponse, OrderResponse, OrdersPageRequest, ProviderResponse } from './orders-queries.dto';
import { OrderIdParams } from './orders.request.dto';

/** A comment every so often keeps proxies and load balancers from closing a quiet stream. */
export const KEEP_ALIVE_MS = 15_000;

/** Delibery's reads, every one from its read models and taking `?after=` (a position a command answered), and the cancel, which answers the order. */
@ApiTags('orders')
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: details.fields names each field at fault' })
@Controller('orders')
export class OrdersQueriesController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly commandBus: CommandBus,
    private readonly feed: OrderUpdatesFeed,
  ) {}

  @Get('providers')
  @ApiOperation({ summary: 'Every provider with its menu, in the order they were registered' })
  @Authorize()
  @ReadsFrom(providersProjection)
  @ApiOkResponse({ type: ProviderResponse, isArray: true })
  providers(@Query() _query: ConsistentQuery): Promise<ProviderResponse[]> {
    return this.queryBus.execute(new ListProvidersQuery());
  }

  @Get('mine')
  @ApiOperation({ summary: 'The caller’s orders, newest first, a page at a time' })
  @Authorize()
  @ReadsFrom(ordersProjection)
  @ApiOkResponse({ type: OrderPageResponse, description: 'Newest first (by when each was placed)' })
  mine(@Caller() caller: AccessClaims, @Query() query: OrdersPageRequest): Promise<OrderPageResponse> {
    return this.queryBus.execute(new ListMyOrdersQuery(caller.userId, query.limit ?? ORDERS_PAGE_SIZE.default, query.cursor));
  }

  @Get()
  @ApiOperation({ summary: 'Every order, or those in one status, newest first, a page at a time' })
  @Authorize('admin')
  @ReadsFrom(ordersProjection)
  @ApiOkResponse({ type: OrderPageResponse, description: 'Newest first (by when each was placed)' })
  list(@Query() query: ListOrdersRequest): Promise<OrderPageResponse> {
    return this.queryBus.execute(new ListOrdersQuery(query.status, query.limit ?? ORDERS_PAGE_SIZE.default, query.cursor));
  }

  @Get(':orderId')
  @ApiOperation({ summary: 'An order with its sub-orders and history: its customer’s, or any for an admin' })
  @Authorize()
  @ReadsFrom(ordersProjection)
  @ApiOkResponse({ type: OrderResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such order of the caller (an admin may read any)' })
  order(@Param() { orderId }: OrderIdParams, @Caller() caller: AccessClaims, @Query() _query: ConsistentQuery): Promise<OrderResponse> {
    return this.queryBus.execute(new GetOrderQuery(orderId, { userId: caller.userId, role: caller.role }));
  }

  @Post(':orderId/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel an order: it is `cancelling` until every sub-order is cancelled at its provider, then `cancelled`',
    description: 'Answers the order as the read model has it once it includes the cancel (status `cancelling`, or `cancelled` if it already was). Cancelling an order again answers it as it is.',
  })
  @Authorize()
  @ApiOkResponse({ type: OrderResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such order of the caller (an admin may cancel any)' })
  @ApiConflictResponse({ description: 'ORDERS_TOO_LATE_TO_CANCEL: a sub-order is picked up (or delivered) already' })
  @ApiResponse({ status: 503, description: 'READ_MODEL_LAGGING: the cancel is recorded, but the read model did not reach it in time' })
  async cancel(@Param() { orderId }: OrderIdParams, @Caller() caller: AccessClaims): Promise<OrderResponse> {
    const asker = { userId: caller.userId, role: caller.role };
    const { position } = await this.commandBus.execute(new CancelOrderCommand(orderId, asker));
    return this.queryBus.execute(new GetOrderQuery(orderId, asker, position));
  }

  @Get(':orderId/events')
  @ApiOperation({
    summary: 'Server-sent events: the order now, then again each time it or a sub-order changes',
    description:
      'Each event is `order.updated`, its data the order as GET /orders/{orderId} answers it, its `id` the order’s `position`; the first is the order as it is when the stream starts. ' +
      'Updates come in the order they happened (several close together may come as one, the latest). A `: keep-alive` comment comes every 15 s. The stream ends only at shutdown.',
  })
  @Authorize()
  @ReadsFrom(ordersProjection)
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'A stream of `order.updated` events that ends only at shutdown', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such order of the caller (an admin may follow any)' })
  async events(
    @Param() { orderId }: OrderIdParams,
    @Caller() caller: AccessClaims,
    @Query() _query: ConsistentQuery,
    @Req() request: HttpRequest,
    @Res() reply: ServerResponse | { raw: ServerResponse; hijack(): void },
  ): Promise<void> {
    // Written by hand rather than with @Sse: an SSE handler's headers go out before an async
    // check can refuse, and another customer's order must be a 404, not an empty stream.
    const updates = await this.feed.follow(orderId, { userId: caller.userId, role: caller.role });
    // Written on Node's own answer: Express's is one; Fastify's reply is told the answer is ours (hijack).
    let response: ServerResponse;
    if ('hijack' in reply) {
      reply.hijack();
      response = reply.raw;
    } else response = reply;
    const incoming = rawRequestOf(request);
    incoming.socket.setTimeout(0);
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    response.flushHeaders();
    let subscription: Subscription | undefined;
    let heartbeat: NodeJS.Timeout | undefined;
    const end = () => {
      clearInterval(heartbeat);
      subscription?.unsubscribe();
      if (!response.writableEnded) response.end();
    };
    incoming.on('close', end);
    // The heartbeat lives as long as the updates do: when they end (shutdown), the response ends.
    heartbeat = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    subscription = updates.subscribe({
      next: (order) => response.write(`event: order.updated\nid: ${order.position}\ndata: ${JSON.stringify(order)}\n\n`),
      error: end,
      complete: end,
    });
    if (response.writableEnded) subscription.unsubscribe();
  }
}
