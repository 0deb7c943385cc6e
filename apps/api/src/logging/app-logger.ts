import { LoggerService, LogLevel } from '@nestjs/common';
import pino, { DestinationStream, Level, Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { AppConfig } from '../config/app-config';
import { resolveLogFormat } from './log-format';
import { nestLogEntry } from './nest-log-entry';
import { isStartupNoise } from './startup-noise';

const PINO_LEVEL: Record<LogLevel, Level> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** Credentials never reach the log, wherever a request's or response's headers are logged (the request line logs none). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
];

/** The request line's fields that the text format already shows in its message. */
const SHOWN_IN_TEXT_MESSAGE = 'pid,hostname,context,method,url,route,status,latencyMs';

/** Everything the service logs, Nest's own lines and the request lines alike, as pino lines in one format. */
export class AppLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    if (!isStartupNoise('log', message, params)) this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    if (!isStartupNoise('error', message, params)) this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const { msg, fields } = nestLogEntry(message, params, level === 'error' || level === 'fatal');
    this.pino[level](fields, msg);
  }
}

/**
 * JSON lines (`level` as its name, ISO `time`) or, for `text`, pino-pretty's one line per entry (colours only on a
 * terminal without NO_COLOR). Both write synchronously, so the last lines before an exit are not lost.
 */
export function createAppLogger(config: Pick<AppConfig, 'logLevels' | 'logFormat'>, destination?: DestinationStream): AppLogger {
  const level = PINO_LEVEL[config.logLevels.at(-1) ?? 'log'];
  const options = { level, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (resolveLogFormat(config.logFormat) === 'json') {
    const formatters = { level: (label: string) => ({ level: label }) };
    return new AppLogger(pino({ ...options, formatters }, destination ?? pino.destination({ dest: 1, sync: true })));
  }
  const pretty = PinoPretty({
    destination: destination ?? 1,
    sync: true,
    colorize: destination === undefined && process.stdout.isTTY === true && !process.env.NO_COLOR,
    singleLine: true,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
    ignore: SHOWN_IN_TEXT_MESSAGE,
    messageFormat: '{if context}[{context}] {end}{msg}',
  });
  return new AppLogger(pino(options, pretty));
}
