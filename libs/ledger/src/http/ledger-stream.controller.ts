import { Controller, type MessageEvent, Query, Req, Sse } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { map, Observable } from 'rxjs';
import { headerOf, type HttpRequest, Text, ValidationFailedError } from '@app/core';
import { isPosition, POSITION_PATTERN } from '@app/eventstore';
import { Authorize } from '@app/identity';
import { AppliedPostingsFeed } from '../application/stream-postings/applied-postings-feed';

/** A comment every so often keeps proxies and load balancers from closing a quiet stream. */
export const KEEP_ALIVE_MS = 15_000;

/** As branch and account are everywhere else in the ledger (see AccountParams). */
const NAME = { maxLength: 20, pattern: /^[A-Za-z0-9-]{1,20}$/, patternMessage: 'must be 1 to 20 letters, digits or -' };

/** `?branch=&account=`: both (one account) or neither (every account); one alone is refused in the handler. */
export class StreamQuery {
  @Text({ ...NAME, optional: true, description: 'With account: that account’s postings only' })
  branch?: string;

  @Text({ ...NAME, optional: true, description: 'With branch: that account’s postings only' })
  account?: string;
}

@ApiTags('ledger')
@Controller('ledger')
export class LedgerStreamController {
  constructor(private readonly feed: AppliedPostingsFeed) {}

  @Sse('stream')
  @ApiOperation({
    summary: 'Server-sent events: one posting.applied per posting the balances come to include, for one account or all',
    description:
      'Each event is `posting.applied`, its data the posting as GET /ledger/postings/{traceKey} answers it (status `applied`), its `id` the position of ' +
      'the LedgerPostingApplied event in the log: a client that reconnects with that `Last-Event-ID` is sent what it missed, then the rest. A `: keep-alive` comment comes every 15 s.',
  })
  @Authorize('admin', 'accountant')
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event (the `id` of the last one received)', schema: { type: 'string', maxLength: 33, pattern: POSITION_PATTERN.source } })
  @ApiOkResponse({ description: 'A stream of `posting.applied` events that ends only at shutdown', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  async stream(@Query() { branch, account }: StreamQuery, @Req() request: HttpRequest): Promise<Observable<MessageEvent>> {
    // Read from the request, not with @Headers(name), which would declare the header a second time.
    const lastEventId = headerOf(request, 'last-event-id');
    if ((branch === undefined) !== (account === undefined)) {
      const missing = branch === undefined ? 'branch' : 'account';
      throw new ValidationFailedError(`Invalid input: ${missing}`, { [missing]: ['branch and account go together: both for one account, neither for all'] });
    }
    if (lastEventId !== undefined && !isPosition(lastEventId)) {
      throw new ValidationFailedError('Invalid input: Last-Event-ID', { 'Last-Event-ID': ['must be the id of an event this stream sent'] });
    }
    const of = branch !== undefined && account !== undefined ? { branch, account } : null;
    const postings = await this.feed.follow(of, lastEventId ?? null);
    // The heartbeat lives as long as the postings do: when they end (shutdown), the response ends.
    return new Observable<MessageEvent>((subscriber) => {
      const heartbeat = setInterval(() => subscriber.next({ comment: 'keep-alive' }), KEEP_ALIVE_MS);
      const events = postings.pipe(map(({ position, posting }): MessageEvent => ({ type: 'posting.applied', id: position, data: posting }))).subscribe(subscriber);
      return () => {
        clearInterval(heartbeat);
        events.unsubscribe();
      };
    });
  }
}
