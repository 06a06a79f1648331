import { Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError, ReadModels } from '@app/core';
import { postingsQueries } from '@app/projections/ledger/postings/postings.queries';
import { GetPostingQuery, type PostingStatus, toPostingStatus } from './get-posting.query';

@Injectable()
@QueryHandler(GetPostingQuery)
export class GetPostingHandler implements IQueryHandler<GetPostingQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ traceKey }: GetPostingQuery): Promise<PostingStatus> {
    const row = await this.readModels.use(postingsQueries).byTraceKey(traceKey);
    if (!row) throw new NotFoundError('Posting', traceKey);
    return toPostingStatus(row);
  }
}
