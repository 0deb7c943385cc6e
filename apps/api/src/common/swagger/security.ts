import { OpenAPIObject } from '@nestjs/swagger';
import { CUSTOMER_ACCESS_EXTENSION, CUSTOMER_WRITE_SCOPE, REQUIRED_SCOPE_EXTENSION } from '../../auth/access-policy';
import { ERROR_CONTENT, HTTP_METHODS, Operation } from './common-responses';

/** Names of the two security schemes: `Authorization: Bearer <key>` and `X-API-Key: <key>` (either will do). */
export const BEARER_SCHEME = 'bearer';
export const API_KEY_SCHEME = 'apiKey';
const EITHER_SCHEME: Record<string, string[]>[] = [{ [BEARER_SCHEME]: [] }, { [API_KEY_SCHEME]: [] }];

const UNAUTHENTICATED = 'No API key, or an unknown or revoked one (code UNAUTHENTICATED; `WWW-Authenticate: Bearer`)';
const forbidden = (scope: string) => `The API key lacks the scope \`${scope}\` (code FORBIDDEN, details.requiredScope)`;

/**
 * Documents who may call each operation, from the extensions that @RequireScope and @CustomerRoute leave: the
 * security requirement (so Swagger UI's "Authorize" sends the key), the scope in the description, and 401/403.
 */
export function describeSecurity(document: OpenAPIObject, customerKeyRequired: boolean): void {
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as (Operation & Record<string, unknown>) | undefined;
      if (!operation) continue;
      const scope = operation[REQUIRED_SCOPE_EXTENSION] as string | undefined;
      const customer = operation[CUSTOMER_ACCESS_EXTENSION] as 'read' | 'write' | undefined;
      if (scope) {
        requireKey(operation, `Requires an API key with the scope \`${scope}\`.`, scope);
      } else if (customer && customerKeyRequired) {
        const needed = customer === 'write' ? CUSTOMER_WRITE_SCOPE : undefined;
        requireKey(
          operation,
          needed ? `Requires an API key with the scope \`${needed}\`.` : 'Requires a valid API key (any scope).',
          needed,
        );
      } else if (customer) {
        // An empty requirement makes the key optional; a key that is sent must be valid.
        operation.security = [{}, ...EITHER_SCHEME];
        appendDescription(operation, 'Open to anyone (CUSTOMER_API_KEY_REQUIRED is off); an API key may be sent and must then be valid.');
        operation.responses['401'] ??= {
          description: 'An API key was sent but is unknown or revoked (code UNAUTHENTICATED)',
          content: ERROR_CONTENT,
        };
      }
    }
  }
}

function requireKey(operation: Operation, sentence: string, scope: string | undefined): void {
  operation.security = EITHER_SCHEME;
  appendDescription(operation, sentence);
  operation.responses['401'] ??= { description: UNAUTHENTICATED, content: ERROR_CONTENT };
  if (scope) operation.responses['403'] ??= { description: forbidden(scope), content: ERROR_CONTENT };
}

function appendDescription(operation: Operation, sentence: string): void {
  operation.description = operation.description ? `${operation.description}\n\n${sentence}` : sentence;
}
