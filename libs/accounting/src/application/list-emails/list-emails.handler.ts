import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '@app/core';
import { billingQueries } from '@app/projections/accounting/billing/billing.queries';
import { ListEmailsQuery, type PayoutEmailView } from './list-emails.query';

@Injectable()
@QueryHandler(ListEmailsQuery)
export class ListEmailsHandler implements IQueryHandler<ListEmailsQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ userId }: ListEmailsQuery): Promise<PayoutEmailView[]> {
    const rows = await this.readModels.use(billingQueries).emails(userId);
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
