const STARTED_MESSAGE = 'Nest application successfully started';
const LISTEN_ERROR = /^Error: listen E[A-Z]+/;

/**
 * Nest's startup lines that mislead or repeat: "successfully started" comes before the port is bound (main.ts logs
 * "Listening on ..." once it is), and Nest's own copies of a startup error (the ExceptionHandler's, with its stack,
 * and NestApplication's for a failed listen): main.ts reports every startup failure itself, as one line.
 */
export function isStartupNoise(level: 'log' | 'error', message: unknown, params: unknown[]): boolean {
  const context = params.at(-1);
  if (level === 'log') return message === STARTED_MESSAGE && context === 'NestApplication';
  return context === 'ExceptionHandler' || (context === 'NestApplication' && typeof message === 'string' && LISTEN_ERROR.test(message));
}
