import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConsistentQuery, ReadsFrom } from '@app/core';
import { usersProjection } from '@app/projections/identity/users/users.projection';
import { ListUsersQuery } from '../application/list-users/list-users.query';
import { Authorize } from './authorize';
import { UserResponse } from './identity.response.dto';

@ApiTags('identity')
@Controller('users')
export class UsersController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @Authorize('admin', 'manager')
  @ReadsFrom(usersProjection)
  @ApiOperation({ summary: 'Everyone, with their role and whether they are active' })
  @ApiOkResponse({ type: UserResponse, isArray: true })
  list(@Query() _query: ConsistentQuery): Promise<UserResponse[]> {
    return this.queryBus.execute(new ListUsersQuery());
  }
}
