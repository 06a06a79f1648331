import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { IdentityApiModule } from '@app/identity';
import { TasksApiModule } from '@app/tasks';
import { OperationsModule } from './operations/operations.module';

/** The HTTP app: operations endpoints and, per bounded context, its command and query endpoints. */
@Module({ imports: [CqrsModule.forRoot(), OperationsModule, IdentityApiModule, TasksApiModule] })
export class ApiModule {}
