import { Body, Controller, Delete, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { type AccessClaims, Authorize, Caller } from '@app/identity';
import { ForgetCustomerCommand } from '../application/customers/forget-customer.command';
import { SetPersonalDataCommand } from '../application/customers/set-personal-data.command';
import { CustomerIdParams, PersonalDataRequest } from './customers.request.dto';
import { CustomerForgottenResponse, PersonalDataResponse } from './customers.response.dto';

@ApiTags('ticketing')
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: details.fields names each field at fault' })
@Controller('ticketing/customers')
export class CustomersController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put('me')
  @ApiOperation({ summary: 'Set the caller’s personal data for tickets (shown on their reservations); stored encrypted under a key of their own' })
  @Authorize()
  @ApiOkResponse({ type: PersonalDataResponse, description: 'Stored; the caller’s reservations show it from now on' })
  @ApiServiceUnavailableResponse({ description: 'READ_MODEL_LAGGING: stored, but not yet readable within CONSISTENCY_TIMEOUT_MS; send it again' })
  setMine(@Body() { fullName, email, phone }: PersonalDataRequest, @Caller() caller: AccessClaims): Promise<PersonalDataResponse> {
    return this.commandBus.execute(new SetPersonalDataCommand(caller.userId, { fullName, email, phone: phone ?? null }));
  }

  @Delete(':userId/personal-data')
  @ApiOperation({
    summary: 'Forget a customer’s personal data: their key is destroyed, their reservations show customer null, and nothing in the log can be read back to it',
  })
  @Authorize()
  @ApiOkResponse({ type: CustomerForgottenResponse, description: 'Forgotten (again, or with no data ever given: the same answer)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: only that customer or an admin' })
  forget(@Param() { userId }: CustomerIdParams, @Caller() caller: AccessClaims): Promise<CustomerForgottenResponse> {
    return this.commandBus.execute(new ForgetCustomerCommand(userId, caller));
  }
}
