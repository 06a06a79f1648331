import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/**
 * One JSON logger for the whole process: requests, projections, knex and Nest's own messages.
 * Every line on stdout is one JSON object with each key once: the line's own `pid` (a PostgreSQL
 * backend's, say) is written `backendPid`, as `pid` is the process's. Lines are written at once
 * (not buffered): `npm start`'s api and worker share one stdout, and a line written whole is never
 * cut by the other process's.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      formatters: { log: renameTaken },
    },
    pino.destination({ fd: 1, sync: true }),
  );
}

/** Keys every line has already (`pid` in `base`, `level`, `time`, `msg`): a line's own is renamed. */
const TAKEN: Record<string, string> = { pid: 'backendPid', level: 'levelName', time: 'at', msg: 'message', hostname: 'host' };

function renameTaken(object: Record<string, unknown>): Record<string, unknown> {
  if (!Object.keys(object).some((key) => key in TAKEN)) return object;
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) renamed[key in TAKEN ? TAKEN[key] : key] = value;
  return renamed;
}

/** Nest's start-up chatter (a line per module and per route): at debug, so an info log shows what matters. */
const DEBUG_CONTEXTS = new Set(['RouterExplorer', 'RoutesResolver', 'InstanceLoader']);

/**
 * Nest's logger interface over pino, so framework messages are JSON lines too. Nest calls
 * `log(message, context)` and `error(message, stack, context)`; a message may also be an Error or
 * an object. A stack goes in the `stack` field, never on a line of its own.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = contextOf(params);
    this.write(context && DEBUG_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, ...params: unknown[]): void {
    const context = params.length > 1 ? contextOf(params) : undefined;
    const stack = params.length > 1 || (typeof params[0] === 'string' && params[0].includes('\n    at ')) ? params[0] : undefined;
    this.write('error', message, context ?? (stack === undefined ? contextOf(params) : undefined), typeof stack === 'string' ? stack : undefined);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, contextOf(params));
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, contextOf(params));
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, contextOf(params));
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, contextOf(params));
  }

  private write(level: pino.Level, message: unknown, context: string | undefined, stack?: string): void {
    const fields: Record<string, unknown> = { context };
    if (stack) fields.stack = stack;
    if (message instanceof Error) {
      fields.err = message;
      this.logger[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, details: message }, context ?? 'nest');
    } else {
      this.logger[level](fields, String(message));
    }
  }
}

/** Nest passes the context last, as a string. */
function contextOf(params: unknown[]): string | undefined {
  const last = params.at(-1);
  return typeof last === 'string' ? last : undefined;
}

/**
 * knex's `log` option over pino: knex writes its warnings (`Connection Error: …`, `Acquire
 * connection error: <stack>`) with console.log otherwise, as plain text on stdout. The first line
 * is the message, a stack goes in `stack`.
 */
export function knexLog(logger: Logger): Record<'debug' | 'warn' | 'error' | 'deprecate', (message: unknown) => void> {
  const write = (level: 'debug' | 'warn' | 'error') => (message: unknown) => {
    if (typeof message !== 'string') {
      logger[level]({ component: 'knex', details: message }, 'knex');
      return;
    }
    const newline = message.indexOf('\n');
    if (newline < 0) logger[level]({ component: 'knex' }, message);
    else logger[level]({ component: 'knex', stack: message }, message.slice(0, newline));
  };
  return { debug: write('debug'), warn: write('warn'), error: write('error'), deprecate: write('warn') };
}
