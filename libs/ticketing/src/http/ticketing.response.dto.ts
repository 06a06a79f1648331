import { ApiProperty } from '@nestjs/swagger';

export class CreatedShowResponse {
  @ApiProperty({ format: 'uuid' }) showId!: string;
  @ApiProperty({ type: 'integer', description: 'How many seats the show has' }) seats!: number;
  @ApiProperty() position!: string;
}

export class TicketResponse {
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ example: 'A-3-12' }) seatId!: string;
}

export class CustomerOnTicketResponse {
  @ApiProperty() fullName!: string;
  @ApiProperty() email!: string;
}

export class ReservationResponse {
  @ApiProperty({ format: 'uuid' }) reservationId!: string;
  @ApiProperty({ format: 'uuid' }) showId!: string;
  @ApiProperty({ type: [String], example: ['A-3-12'] }) seats!: string[];
  @ApiProperty({ example: '99.80', description: 'The price of the seats, a decimal string' }) total!: string;
  @ApiProperty({ enum: ['held', 'confirmed', 'expired', 'cancelled', 'refunded'] }) status!: string;
  @ApiProperty({ format: 'date-time', description: 'Until when the hold lasts; a confirmation after it is refused' }) expiresAt!: string;
  @ApiProperty({ type: [TicketResponse] }) tickets!: TicketResponse[];
  @ApiProperty({ type: String, nullable: true }) paymentId!: string | null;
  @ApiProperty({ type: CustomerOnTicketResponse, nullable: true, description: 'The customer’s personal data for tickets; null when none was given or it was forgotten' })
  customer!: CustomerOnTicketResponse | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The waitlist entry this hold was offered to, if any' }) waitlistId!: string | null;
}

export class ReservationWrittenResponse extends ReservationResponse {
  @ApiProperty() position!: string;
}

export class JoinedWaitlistResponse {
  @ApiProperty({ format: 'uuid' }) waitlistId!: string;
  @ApiProperty({ type: 'integer', description: 'Place in line, from 1' }) place!: number;
  @ApiProperty() position!: string;
}

export class PositionResponse {
  @ApiProperty() position!: string;
}
