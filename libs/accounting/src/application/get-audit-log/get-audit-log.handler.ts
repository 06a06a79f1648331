import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { CLOCK, type Clock, KNEX, NotFoundError, utcDateOf } from '@app/core';
import type { AuditLogRow } from '@app/projections/accounting/accounts.projection';
import type { UserRow } from '@app/projections/identity/users.projection';
import { type AuditLogEntry, GetAuditLogQuery } from './get-audit-log.query';

@Injectable()
@QueryHandler(GetAuditLogQuery)
export class GetAuditLogHandler implements IQueryHandler<GetAuditLogQuery> {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ userId, date, options }: GetAuditLogQuery): Promise<{ items: AuditLogEntry[] }> {
    if (options.mustExist && !(await this.knex<UserRow>('users').where({ user_id: userId }).first())) throw new NotFoundError('User', userId);
    const rows = await this.knex<AuditLogRow>('account_audit_log')
      .where({ user_id: userId, date: date ?? utcDateOf(this.clock.now()) })
      .orderBy('position');
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
