import { Module } from '@nestjs/common';
import { AdminBootstrap } from '../application/bootstrap-admin/admin-bootstrap';
import { IdentityModule } from '../identity.module';
import { AuthController } from './auth.controller';
import { UsersController } from './users.controller';

/** Identity as the HTTP app serves it: its endpoints, and the first admin created at start-up. */
@Module({
  imports: [IdentityModule],
  controllers: [AuthController, UsersController],
  providers: [AdminBootstrap],
})
export class IdentityApiModule {}
