import { Module } from '@nestjs/common';
import { CustomersModule } from '../application/customers/customers.module';
import { CustomersController } from './customers.controller';

/** The customers' personal-data endpoints. */
@Module({ imports: [CustomersModule], controllers: [CustomersController] })
export class CustomersApiModule {}
