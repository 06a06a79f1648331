import { Module } from '@nestjs/common';

/** The customers' personal-data endpoints. */
@Module({ controllers: [] })
export class CustomersApiModule {}
