import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Knex } from 'knex';
import { KNEX } from '@app/core';
import type { PayoutEmailRow } from '@app/projections/accounting/billing.projection';
import { ListEmailsQuery, type PayoutEmailView } from './list-emails.query';

@Injectable()
@QueryHandler(ListEmailsQuery)
export class ListEmailsHandler implements IQueryHandler<ListEmailsQuery> {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async execute({ userId }: ListEmailsQuery): Promise<PayoutEmailView[]> {
    const query = this.knex<PayoutEmailRow>('payout_emails').orderBy('position');
    if (userId) query.where({ user_id: userId });
    const rows = await query;
    return rows.map((row) => ({
      emailId: row.email_id,
      userId: row.user_id,
      to: row.to,
      subject: row.subject,
      amount: Number(row.amount),
      date: row.date,
      status: row.status,
      attempts: row.attempts,
      lastError: row.last_error,
      text: row.text,
    }));
  }
}
