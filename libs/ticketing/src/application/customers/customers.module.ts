import { Module } from '@nestjs/common';
import { PersonalData } from './personal-data';

/** Customers' personal data: its commands (set, forget) and how answers read it back. */
@Module({ providers: [PersonalData], exports: [PersonalData] })
export class CustomersModule {}
