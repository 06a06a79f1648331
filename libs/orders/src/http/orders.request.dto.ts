import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsString, IsUrl, IsUUID, Matches, Max, MaxLength, Min, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { Nested, Text } from '@app/core';
import type { ProviderStatus } from '../contract/orders.events';
import { ADAPTER_KINDS } from '../application/adapters/adapter-kinds';
import { MAX_PRICE_CENTS, parsePrice } from '../domain/money';

/** An optional field: it may be left out, but not sent as null. */
const IfPresent = () => ValidateIf((_: object, value: unknown) => value !== undefined);

const SKU = /^[A-Za-z0-9_-]{1,50}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export const PROVIDER_STATUSES: readonly ProviderStatus[] = ['accepted', 'preparing', 'ready', 'picked_up', 'delivered', 'rejected'];

function IsPrice(): PropertyDecorator {
  return ValidateBy({
    name: 'isPrice',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parsePrice(value) !== null,
      defaultMessage: () => `price must be a decimal string with at most two decimals, from "0" to "${MAX_PRICE_CENTS / 100}", such as "8.50"`,
    },
  });
}

export class SimulationRequest {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 3_600_000, description: 'How long after the submit the simulated provider accepts (or rejects)' })
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  acceptAfterMs!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3_600_000, description: 'Then one status further every this many milliseconds' })
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  stepMs!: number;

  @ApiPropertyOptional({ default: false, description: 'Reject every sub-order instead' })
  @IfPresent()
  @IsBoolean()
  reject?: boolean;
}

export class RegisterProviderRequest {
  @Text({ maxLength: 200, example: 'Pizza Pinguino' })
  name!: string;

  @ApiProperty({ enum: ADAPTER_KINDS })
  @IsIn(ADAPTER_KINDS)
  adapter!: 'simulated' | 'http';

  @ApiPropertyOptional({ type: String, maxLength: 2000, example: 'https://api.pinguino.example', description: 'The provider’s API (required for `http`)' })
  @ValidateIf((body: RegisterProviderRequest) => body.adapter === 'http' || body.baseUrl !== undefined)
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  baseUrl?: string;

  @Text({ maxLength: 200, description: 'Signs the provider’s callbacks (HMAC-SHA256 of the raw body)', example: 'a-long-shared-secret' })
  secret!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 86_400, default: 60, description: 'A sub-order not accepted within this many seconds times out' })
  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(86_400)
  acceptTimeoutSeconds?: number;

  @Nested(() => SimulationRequest, { optional: true, description: 'How the simulated provider behaves (`simulated` only)' })
  simulation?: SimulationRequest;
}

export class MenuItemRequest {
  @ApiProperty({ pattern: SKU.source, example: 'margherita' })
  @IsString()
  @Matches(SKU, { message: 'sku must be 1 to 50 letters, digits, _ or -' })
  sku!: string;

  @Text({ maxLength: 200, example: 'Pizza Margherita' })
  name!: string;

  @ApiProperty({ type: String, example: '8.50', pattern: '^\\d{1,6}(\\.\\d{1,2})?$' })
  @IsPrice()
  price!: string;
}

export class SetMenuRequest {
  @ApiProperty({ type: [MenuItemRequest], maxItems: 500 })
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique((item: MenuItemRequest) => item?.sku, { message: 'items must have different skus' })
  @ValidateNested({ each: true })
  @Type(() => MenuItemRequest)
  items!: MenuItemRequest[];
}

export class OrderItemRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  providerId!: string;

  @ApiProperty({ pattern: SKU.source })
  @IsString()
  @Matches(SKU, { message: 'sku must be 1 to 50 letters, digits, _ or -' })
  sku!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  quantity!: number;
}

export class PlaceOrderRequest {
  @ApiProperty({ type: [OrderItemRequest], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderItemRequest)
  items!: OrderItemRequest[];

  @Text({ maxLength: 500, multiline: true, example: 'Penguin Lane 4, Ice City' })
  deliveryAddress!: string;
}

export class CallbackRequest {
  @Text({ maxLength: 200, description: 'The provider’s id of this update: the same update again is recorded once' })
  eventId!: string;

  @ApiPropertyOptional({ type: String, maxLength: 200 })
  @IfPresent()
  @IsString()
  @MaxLength(200)
  providerRef?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IfPresent()
  @IsUUID()
  subOrderId?: string;

  @ApiProperty({ enum: PROVIDER_STATUSES })
  @IsIn(PROVIDER_STATUSES)
  status!: ProviderStatus;

  @ApiProperty({ type: String, format: 'date-time', maxLength: 40 })
  @IsString()
  @Matches(INSTANT, { message: 'at must be an ISO-8601 instant' })
  at!: string;
}

export class ProviderIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  providerId!: string;
}

export class OrderIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  orderId!: string;
}
