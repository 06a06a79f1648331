import { Query } from '@nestjs/cqrs';

export interface EventCodeView {
  code: number;
  description: string;
  allowDebit: boolean;
  allowCredit: boolean;
  active: boolean;
  createdAt: string;
}

/** Every event code with its current settings, by code. */
export class ListEventCodesQuery extends Query<EventCodeView[]> {}
