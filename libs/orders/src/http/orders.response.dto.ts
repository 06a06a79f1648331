import { ApiProperty } from '@nestjs/swagger';

export class ProviderWrittenResponse {
  @ApiProperty({ format: 'uuid' }) providerId!: string;
  @ApiProperty() position!: string;
}

export class PlacedSubOrderResponse {
  @ApiProperty({ format: 'uuid' }) subOrderId!: string;
  @ApiProperty({ format: 'uuid' }) providerId!: string;
  @ApiProperty({ enum: ['pending'] }) status!: 'pending';
}

export class PlacedOrderResponse {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ enum: ['placed'] }) status!: 'placed';
  @ApiProperty({ example: '23.50' }) total!: string;
  @ApiProperty({ type: [PlacedSubOrderResponse] }) subOrders!: PlacedSubOrderResponse[];
  @ApiProperty() position!: string;
}

export class CallbackResponse {
  @ApiProperty({ description: 'false: an update with this eventId was recorded before' }) recorded!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The sub-order stream’s last position: a query with ?after= it shows the update' }) position!: string | null;
}
