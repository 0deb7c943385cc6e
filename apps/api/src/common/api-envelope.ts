/** The original service's success envelope: `{ success: true, message?, data }`. */
export interface SuccessEnvelope<T> {
  success: true;
  message?: string;
  data: T;
}

export function ok<T>(data: T, message?: string): SuccessEnvelope<T> {
  return message === undefined ? { success: true, data } : { success: true, message, data };
}

export interface FieldError {
  field: string;
  messages: string[];
}

/** The original service's error envelope, extended with a stable code, field errors and the request id. */
export interface ErrorEnvelope {
  success: false;
  message: string;
  code: string;
  errors?: FieldError[];
  details?: Record<string, unknown>;
  requestId?: string;
}
