export interface LogEntry {
  msg: string;
  /** Structured fields of the line: `context` (the Nest logger's name), `stack`, `err`, `details`. */
  fields: Record<string, unknown>;
}

/**
 * Turns a Nest LoggerService call into one structured line, reading the arguments the way Nest's ConsoleLogger does:
 * a trailing string is the context (Nest's Logger appends its name), and for errors the next one is the stack.
 */
export function nestLogEntry(message: unknown, params: unknown[], isError: boolean): LogEntry {
  const rest = [...params];
  const fields: Record<string, unknown> = {};
  if (typeof rest.at(-1) === 'string') fields.context = rest.pop();
  if (isError && rest.length > 0 && (typeof rest[0] === 'string' || rest[0] === undefined)) {
    const stack = rest.shift();
    if (stack) fields.stack = stack;
  }
  if (rest.length > 0) fields.details = rest;
  if (message instanceof Error) return { msg: message.message, fields: { ...fields, err: message } };
  if (typeof message === 'object' && message !== null) {
    const { msg, message: text, ...more } = message as Record<string, unknown>;
    const line = [msg, text].find((value) => typeof value === 'string') ?? '';
    return { msg: line, fields: { ...fields, ...more } };
  }
  return { msg: String(message), fields };
}
