import { ConsoleLogger, LogLevel } from '@nestjs/common';

export interface ServiceLoggerOptions {
  logLevels: LogLevel[];
  json: boolean;
  /** ANSI colours; main.ts turns them on only for a terminal. */
  colors: boolean;
}

const STARTED_MESSAGE = 'Nest application successfully started';
const LISTEN_ERROR = /^Error: listen E[A-Z]+/;

/**
 * Nest's console logger without the startup lines that mislead or repeat: "successfully started" comes
 * before the port is bound (main.ts logs "Listening on ..." once it is), and Nest's own copies of a startup
 * error (the ExceptionHandler's, with its stack, and NestApplication's for a failed listen): main.ts
 * reports every startup failure itself, as one line.
 */
export class ServiceLogger extends ConsoleLogger {
  constructor(options: ServiceLoggerOptions) {
    super(options);
  }

  override log(message: unknown, ...rest: unknown[]): void {
    if (message === STARTED_MESSAGE && rest.at(-1) === 'NestApplication') return;
    super.log(message, ...rest);
  }

  override error(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (context === 'ExceptionHandler' || (context === 'NestApplication' && typeof message === 'string' && LISTEN_ERROR.test(message))) return;
    super.error(message, ...rest);
  }
}

/** Colours only on a terminal, and never with NO_COLOR set (https://no-color.org). */
export function terminalWantsColors(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}
