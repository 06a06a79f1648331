import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadsFrom } from '@app/core';
import { Authorize } from '@app/identity';
import { webhooksProjection } from '@app/projections/ledger/webhooks/webhooks.projection';
import { ListDeliveriesQuery } from '../application/webhooks/list-deliveries.query';
import { RegisterWebhookCommand } from '../application/webhooks/register-webhook.command';
import { RetryDeliveryCommand } from '../application/webhooks/retry-delivery.command';
import { DeliveryParams, DeliveryResponse, ListDeliveriesRequest, RegisteredWebhookResponse, RegisterWebhookRequest, RetryAcceptedResponse, WebhookParams } from './webhooks.dto';

@ApiTags('ledger')
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: details.fields names each field at fault' })
@Controller('ledger/webhooks')
export class WebhooksController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a webhook: every posting applied from now on is POSTed to it, signed, until it answers 2xx' })
  @Authorize('admin')
  @ApiCreatedResponse({ type: RegisteredWebhookResponse })
  register(@Body() { url, secret }: RegisterWebhookRequest): Promise<RegisteredWebhookResponse> {
    return this.commandBus.execute(new RegisterWebhookCommand(url, secret));
  }

  @Get(':webhookId/deliveries')
  @ApiOperation({ summary: 'A webhook’s deliveries: pending, delivered, or failed (the dead letters)' })
  @Authorize('admin')
  @ReadsFrom(webhooksProjection)
  @ApiOkResponse({ type: DeliveryResponse, isArray: true })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no webhook has that id' })
  deliveries(@Param() { webhookId }: WebhookParams, @Query() { status, limit = 1000 }: ListDeliveriesRequest): Promise<DeliveryResponse[]> {
    return this.queryBus.execute(new ListDeliveriesQuery(webhookId, status, limit));
  }

  @Post(':webhookId/deliveries/:deliveryId/retry')
  @ApiOperation({ summary: 'Send a failed or pending delivery again at once' })
  @HttpCode(202)
  @Authorize('admin')
  @ApiAcceptedResponse({ type: RetryAcceptedResponse, description: 'The worker sends it within a moment' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: that webhook has no such delivery' })
  @ApiConflictResponse({ description: 'LEDGER_WEBHOOK_DELIVERY_DELIVERED: it was delivered already' })
  retry(@Param() { webhookId, deliveryId }: DeliveryParams): Promise<RetryAcceptedResponse> {
    return this.commandBus.execute(new RetryDeliveryCommand(webhookId, deliveryId));
  }
}
