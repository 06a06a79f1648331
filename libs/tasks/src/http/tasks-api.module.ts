import { Module } from '@nestjs/common';
import { TasksModule } from '../tasks.module';
import { TasksController } from './tasks.controller';

/** Tasks as the HTTP app serves them. */
@Module({ imports: [TasksModule], controllers: [TasksController] })
export class TasksApiModule {}
