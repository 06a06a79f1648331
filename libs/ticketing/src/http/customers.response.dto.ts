import { ApiProperty } from '@nestjs/swagger';

export class PersonalDataResponse {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty({ format: 'email' }) email!: string;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty() position!: string;
}

export class CustomerForgottenResponse {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ enum: [true], type: Boolean, description: 'Always true: the customer’s key is destroyed (or they had none)' }) forgotten!: true;
  @ApiProperty() position!: string;
}
