import type { LogFormat } from '../config/app-config';

/** `auto` (the default): human-readable on a terminal, one JSON object per line otherwise (a container, a file, a pipe). */
export function resolveLogFormat(format: LogFormat, stream: { isTTY?: boolean } = process.stdout): 'text' | 'json' {
  if (format !== 'auto') return format;
  return stream.isTTY === true ? 'text' : 'json';
}
