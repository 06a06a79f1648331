import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, IsUUID, Length, MaxLength } from 'class-validator';
import { ConsistentQuery, QueryInteger } from '@app/core';
import type { DeliveryView } from '../application/webhooks/list-deliveries.query';

const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export class RegisterWebhookRequest {
  @ApiProperty({ example: 'https://client.example/ledger-events', maxLength: 2000, description: 'http or https, without a user or password; every applied posting is POSTed here' })
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false, disallow_auth: true }, { message: 'url must be an http or https URL, without a user or password' })
  url!: string;

  @ApiProperty({ minLength: 1, maxLength: 256, description: 'Signs each delivery: X-Signature is sha256=<hex HMAC-SHA256 of the raw body with it>. Kept as sent (not trimmed).' })
  @IsString()
  @Length(1, 256)
  secret!: string;
}

export class RegisteredWebhookResponse {
  @ApiProperty({ format: 'uuid' })
  webhookId!: string;

  @ApiProperty({ description: 'Event-store position of the registration; postings applied after it are delivered' })
  position!: string;
}

export class WebhookParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  webhookId!: string;
}

export class DeliveryParams extends WebhookParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  deliveryId!: string;
}

export class ListDeliveriesRequest extends ConsistentQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: '`failed`: the dead letters, given up after the retries or refused by the receiver' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];

  @QueryInteger({ minimum: 1, maximum: 1000, default: 1000, description: 'At most this many, in the order their postings were applied' })
  limit?: number;
}

export class DeliveryResponse implements DeliveryView {
  @ApiProperty({ format: 'uuid', description: 'Sent as X-Delivery-Id with every attempt of this delivery' })
  deliveryId!: string;

  @ApiProperty({ format: 'uuid' })
  traceKey!: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: (typeof DELIVERY_STATUSES)[number];

  @ApiProperty({ type: 'integer' })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true, description: 'What the last failed attempt got (HTTP 503, no answer within …, ECONNREFUSED); null after a delivery' })
  lastError!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAttemptAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt is due; null once delivered or failed' })
  nextAttemptAt!: string | null;
}

export class RetryAcceptedResponse {
  @ApiProperty({ format: 'uuid' })
  deliveryId!: string;

  @ApiProperty({ description: 'Event-store position of the retry request' })
  position!: string;
}
