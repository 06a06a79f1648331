import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ConsistentQuery, QueryInteger, Text } from '@app/core';
import type { OrderStatus } from '@app/projections/orders/orders/orders.queries';
import type { SubOrderStatus } from '../contract/orders.events';

/** Page sizes of every Delibery list (the API's paging convention). */
export const ORDERS_PAGE_SIZE = { minimum: 1, maximum: 500, default: 50 } as const;

export const ORDER_STATUSES: readonly OrderStatus[] = ['placed', 'confirmed', 'preparing', 'ready', 'delivering', 'delivered', 'cancelling', 'cancelled'];
export const SUB_ORDER_STATUSES: readonly SubOrderStatus[] = ['pending', 'accepted', 'preparing', 'ready', 'picked_up', 'delivered', 'rejected', 'timed_out', 'cancelled'];

const CURSOR = { optional: true, maxLength: 200, pattern: /^[A-Za-z0-9_-]+$/, patternMessage: 'must be a nextCursor this API returned', description: 'The nextCursor of the previous page' };

export class OrdersPageRequest extends ConsistentQuery {
  @QueryInteger({ ...ORDERS_PAGE_SIZE, description: 'Orders per page' })
  limit?: number;

  @Text(CURSOR)
  cursor?: string;
}

export class ListOrdersRequest extends OrdersPageRequest {
  @ApiPropertyOptional({ enum: ORDER_STATUSES, description: 'Only the orders in this status now' })
  @IsOptional()
  @IsIn(ORDER_STATUSES, { message: `status must be one of ${ORDER_STATUSES.join(', ')}` })
  status?: OrderStatus;
}

export class MenuItemResponse {
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '8.50', description: 'A decimal string' }) price!: string;
}

export class ProviderResponse {
  @ApiProperty({ format: 'uuid' }) providerId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['simulated', 'http'] }) adapter!: string;
  @ApiProperty({ type: [MenuItemResponse], description: 'In the order the menu was set with; empty until it is set' }) menu!: MenuItemResponse[];
}

export class OrderItemResponse {
  @ApiProperty({ format: 'uuid' }) providerId!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '8.50', description: 'The price on the menu when the order was placed, a decimal string' }) price!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) quantity!: number;
}

export class SubOrderResponse {
  @ApiProperty({ format: 'uuid' }) subOrderId!: string;
  @ApiProperty({ format: 'uuid' }) providerId!: string;
  @ApiProperty() providerName!: string;
  @ApiProperty({ enum: SUB_ORDER_STATUSES }) status!: SubOrderStatus;
  @ApiProperty({ type: String, nullable: true, description: 'The provider’s own reference, once its submit answered' }) providerRef!: string | null;
  @ApiProperty({ type: 'integer', description: 'Calls made to the provider: each submit and each cancel, failed or not' }) attempts!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The last call’s error while it failed; null once one succeeded' }) lastError!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the sub-order last changed' }) updatedAt!: string;
}

export class HistoryEntryResponse {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: [...new Set([...ORDER_STATUSES, ...SUB_ORDER_STATUSES])], description: 'The order’s status, or with subOrderId that sub-order’s' }) status!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The sub-order whose status this is; absent for the order’s own' }) subOrderId?: string;
  @ApiPropertyOptional({ type: Boolean, description: 'An update that would have moved the sub-order backwards: recorded, not applied' }) ignored?: true;
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty({ example: '23.50', description: 'A decimal string' }) total!: string;
  @ApiProperty() deliveryAddress!: string;
  @ApiProperty({ type: [OrderItemResponse] }) items!: OrderItemResponse[];
  @ApiProperty({ type: [SubOrderResponse], description: 'One per provider' }) subOrders!: SubOrderResponse[];
  @ApiProperty({ type: [HistoryEntryResponse], description: 'Every change in the order it happened: the order’s statuses and each sub-order’s' }) history!: HistoryEntryResponse[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'The last event the order reflects (pass as `after` to read at least this)' }) position!: string;
}

export class OrderPageResponse {
  @ApiProperty({ type: [OrderResponse], description: 'Newest first' }) items!: OrderResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}
