import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AccountingApiModule } from '@app/accounting';
import { AnalyticsApiModule } from '@app/analytics';
import { IdentityApiModule } from '@app/identity';
import { TasksApiModule } from '@app/tasks';
import { OperationsModule } from './operations/operations.module';

/** The HTTP app: operations endpoints and, per bounded context, its command and query endpoints. */
@Module({ imports: [CqrsModule.forRoot(), OperationsModule, IdentityApiModule, TasksApiModule, AccountingApiModule, AnalyticsApiModule] })
export class ApiModule {}
