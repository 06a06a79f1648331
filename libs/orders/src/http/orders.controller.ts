import { Body, Controller, createParamDecorator, type ExecutionContext, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { headerOf, type HttpRequest, Idempotent, rawBodyOf, ValidationFailedError } from '@app/core';
import { type AccessClaims, Authorize, Caller } from '@app/identity';
import { PlaceOrderCommand } from '../application/place-order/place-order.command';
import { ReceiveCallbackCommand } from '../application/provider-updates/receive-callback.command';
import { RegisterProviderCommand, SetMenuCommand } from '../application/providers/providers.commands';
import { parsePrice } from '../domain/money';
import { CallbackRequest, PlaceOrderRequest, ProviderIdParams, RegisterProviderRequest, SetMenuRequest } from './orders.request.dto';
import { CallbackResponse, PlacedOrderResponse, ProviderWrittenResponse } from './orders.response.dto';

const DEFAULT_ACCEPT_TIMEOUT_SECONDS = 60;

/** The callback's X-Signature header (declared with @ApiHeader, so it is not a parameter of its own in the API document). */
const Signature = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => headerOf(context.switchToHttp().getRequest<HttpRequest>(), 'x-signature'));

@ApiTags('orders')
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: details.fields names each field at fault' })
@Controller('orders')
export class OrdersController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('providers')
  @ApiOperation({ summary: 'Register a provider (restaurant) and how its sub-orders reach it: simulated, or its own HTTP API' })
  @Authorize('admin')
  @ApiCreatedResponse({ type: ProviderWrittenResponse })
  register(@Body() body: RegisterProviderRequest): Promise<ProviderWrittenResponse> {
    const { name, adapter, baseUrl, secret, acceptTimeoutSeconds = DEFAULT_ACCEPT_TIMEOUT_SECONDS, simulation } = body;
    if (adapter !== 'simulated' && simulation !== undefined) throw new ValidationFailedError('simulation is for the simulated adapter only', { simulation: ['is for adapter "simulated" only'] });
    return this.commandBus.execute(
      new RegisterProviderCommand({
        name,
        adapter,
        baseUrl: baseUrl ?? null,
        secret,
        acceptTimeoutSeconds,
        simulation: adapter === 'simulated' ? { acceptAfterMs: simulation?.acceptAfterMs ?? 1000, stepMs: simulation?.stepMs ?? 2000, reject: simulation?.reject ?? false } : null,
      }),
    );
  }

  @Put('providers/:providerId/menu')
  @ApiOperation({ summary: 'Replace a provider’s menu; orders placed from now on are priced from it' })
  @Authorize('admin')
  @ApiOkResponse({ type: ProviderWrittenResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such provider' })
  setMenu(@Param() { providerId }: ProviderIdParams, @Body() { items }: SetMenuRequest): Promise<ProviderWrittenResponse> {
    return this.commandBus.execute(new SetMenuCommand(providerId, items.map(({ sku, name, price }) => ({ sku, name, priceCents: parsePrice(price)! }))));
  }

  @Post()
  @ApiOperation({ summary: 'Place an order of items from one or more providers: split into one sub-order per provider' })
  @Authorize()
  @Idempotent({ required: false })
  @ApiCreatedResponse({ type: PlacedOrderResponse })
  @ApiConflictResponse({ description: 'IDEMPOTENCY_KEY_REUSED: the key was sent with another body' })
  @ApiUnprocessableEntityResponse({ description: 'ORDERS_UNKNOWN_ITEM: an item is on no provider’s menu (details.items)' })
  place(@Body() { items, deliveryAddress }: PlaceOrderRequest, @Caller() caller: AccessClaims): Promise<PlacedOrderResponse> {
    return this.commandBus.execute(new PlaceOrderCommand(caller.userId, items, deliveryAddress));
  }

  @Post('providers/:providerId/callbacks')
  @HttpCode(200)
  @ApiOperation({ summary: 'A provider reports a sub-order’s status (no token: signed with the provider’s secret in X-Signature)' })
  @ApiHeader({ name: 'X-Signature', required: true, description: '`sha256=` and the hex HMAC-SHA256 of the raw body with the provider’s secret', schema: { type: 'string', maxLength: 71 } })
  @ApiOkResponse({ type: CallbackResponse, description: 'Recorded (also for an eventId recorded before)' })
  @ApiUnauthorizedResponse({ description: 'ORDERS_BAD_SIGNATURE: X-Signature is not sha256=<hex HMAC-SHA256 of the raw body with the provider’s secret>' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no sub-order of this provider has that subOrderId or providerRef' })
  callback(@Param() { providerId }: ProviderIdParams, @Body() body: CallbackRequest, @Req() request: HttpRequest, @Signature() signature?: string): Promise<CallbackResponse> {
    if (body.subOrderId === undefined && body.providerRef === undefined) {
      throw new ValidationFailedError('A callback names its subOrderId or its providerRef', { subOrderId: ['subOrderId or providerRef is required'] });
    }
    return this.commandBus.execute(new ReceiveCallbackCommand(providerId, rawBodyOf(request), signature, body));
  }
}
