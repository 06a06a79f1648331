import { Module } from '@nestjs/common';
import { contexts } from '../contexts';
import { OperationsModule } from './operations/operations.module';

/** The HTTP app: operations endpoints and, per bounded context, its command and query endpoints. */
@Module({ imports: [OperationsModule, ...contexts.flatMap((context) => context.apiModule ?? [])] })
export class ApiModule {}
