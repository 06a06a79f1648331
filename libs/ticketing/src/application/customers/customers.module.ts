import { Module } from '@nestjs/common';
import { CustomerKeyVault } from './customer-key-vault';
import { ForgetCustomerHandler } from './forget-customer.handler';
import { PersonalData } from './personal-data';
import { SetPersonalDataHandler } from './set-personal-data.handler';

/** Customers' personal data: its commands (set, forget), their key vault, and how answers read it back. */
@Module({ providers: [CustomerKeyVault, PersonalData, SetPersonalDataHandler, ForgetCustomerHandler], exports: [PersonalData] })
export class CustomersModule {}
