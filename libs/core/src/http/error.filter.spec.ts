import type { ArgumentsHost } from '@nestjs/common';
import type { Logger } from 'pino';
import { ReadModelLaggingError } from '../projections/consistency';
import { ErrorFilter } from './error.filter';
import { isOutage } from './errors';

function host() {
  const response = { headers: {} as Record<string, string>, statusCode: 0, body: undefined as unknown };
  const res = {
    setHeader: (name: string, value: string) => (response.headers[name] = value),
    status: (status: number) => ((response.statusCode = status), res),
    json: (body: unknown) => (response.body = body),
  };
  const argumentsHost = {
    switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ method: 'GET', originalUrl: '/tasks/mine?after=f' }) }),
  } as unknown as ArgumentsHost;
  return { argumentsHost, response };
}

function recordingLogger() {
  const lines: Array<{ level: string; fields: Record<string, unknown> }> = [];
  const logger = {
    info: (fields: Record<string, unknown>) => lines.push({ level: 'info', fields }),
    error: (fields: Record<string, unknown>) => lines.push({ level: 'error', fields }),
  } as unknown as Logger;
  return { logger, lines };
}

describe('ErrorFilter', () => {
  it('logs READ_MODEL_LAGGING at info, without a stack, once per window however many requests hit it', () => {
    let now = 0;
    const { logger, lines } = recordingLogger();
    const filter = new ErrorFilter(logger, () => now);
    for (let i = 0; i < 1000; i++) filter.catch(new ReadModelLaggingError(['task_board'], 'f', 1), host().argumentsHost);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', fields: { code: 'READ_MODEL_LAGGING' } });
    expect(JSON.stringify(lines[0].fields)).not.toContain('at ');
    now += 10_001;
    const { argumentsHost, response } = host();
    filter.catch(new ReadModelLaggingError(['task_board'], 'f', 1), argumentsHost);
    expect(lines).toHaveLength(2);
    expect(lines[1].fields).toMatchObject({ suppressedSinceLast: 999 });
    expect(response).toMatchObject({ statusCode: 503, headers: { 'Retry-After': '1' } });
  });

  it('logs a bug at error level with the error, and answers 500 without it', () => {
    const { logger, lines } = recordingLogger();
    const { argumentsHost, response } = host();
    new ErrorFilter(logger).catch(new TypeError('boom'), argumentsHost);
    expect(lines).toEqual([{ level: 'error', fields: expect.objectContaining({ err: expect.any(TypeError) }) }]);
    expect(response).toMatchObject({ statusCode: 500, body: { error: { code: 'INTERNAL_ERROR', details: {} } } });
    expect(JSON.stringify(response.body)).not.toContain('boom');
  });

  it('answers an outage 503 SERVICE_UNAVAILABLE with Retry-After, naming no host', () => {
    const { logger } = recordingLogger();
    const { argumentsHost, response } = host();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:54430'), { code: 'ECONNREFUSED' });
    new ErrorFilter(logger).catch(refused, argumentsHost);
    expect(response).toMatchObject({ statusCode: 503, headers: { 'Retry-After': '5' }, body: { error: { code: 'SERVICE_UNAVAILABLE' } } });
    expect(JSON.stringify(response.body)).not.toContain('127.0.0.1');
  });
});

describe('isOutage', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a server shutting down (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['too many connections (53300)', Object.assign(new Error('sorry, too many clients already'), { code: '53300' })],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['an exhausted pool', Object.assign(new Error('Knex: Timeout acquiring a connection'), { name: 'KnexTimeoutError' })],
    ['every address refused', new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })])],
  ])('is %s', (_, error) => expect(isOutage(error)).toBe(true));

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a type error', new TypeError('x is undefined')],
    ['a string', 'nope'],
  ])('is not %s', (_, error) => expect(isOutage(error)).toBe(false));
});
