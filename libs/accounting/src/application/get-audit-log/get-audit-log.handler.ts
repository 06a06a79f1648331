import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, ReadModels } from '@app/core';
import { NotFoundError, utcDateOf } from '@app/core/domain';
import { usersQueries } from '@app/identity';
import { accountsQueries } from '@app/projections/accounting/accounts/accounts.queries';
import { type AuditLogEntry, GetAuditLogQuery } from './get-audit-log.query';

@Injectable()
@QueryHandler(GetAuditLogQuery)
export class GetAuditLogHandler implements IQueryHandler<GetAuditLogQuery> {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ userId, date, options }: GetAuditLogQuery): Promise<{ items: AuditLogEntry[] }> {
    if (options.mustExist && !(await this.readModels.use(usersQueries).byId(userId))) throw new NotFoundError('User', userId);
    const rows = await this.readModels.use(accountsQueries).auditLog(userId, date ?? utcDateOf(this.clock.now()));
    return {
      items: rows.map((row) => ({
        at: row.at.toISOString(),
        kind: row.kind,
        amount: Number(row.amount),
        taskId: row.task_id,
        taskTitle: row.task_title,
        description: row.description,
      })),
    };
  }
}
