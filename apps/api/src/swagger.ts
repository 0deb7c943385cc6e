import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { describeCommonResponses } from './common/swagger/common-responses';
import { API_KEY_SCHEME, BEARER_SCHEME, describeSecurity } from './common/swagger/security';

/** Every tag an operation uses, with what it groups; a test checks that none is missing. */
export const API_TAGS: Record<string, string> = {
  'admin inventory': "Stock management for admins: create, bulk import, list, update, delete, reconcile, a SKU's stock ledger",
  'admin reservations': 'Holds for admins: newest first with their lines and seconds left, filtered by status, SKU, customer, expiry',
  'admin api keys': 'API keys: create (the key is shown once), list, revoke',
  'admin events': 'The event feed, oldest first from a cursor, for consumers that pull instead of taking webhooks',
  'admin activity': "This instance's reservation counters and expiry lag, for the operations console's charts",
  'admin webhooks': 'Webhook endpoints (Standard Webhooks signatures; the secret is shown once) and their delivery attempts',
  inventory: 'What a customer sees of a SKU, or of up to 100 SKUs in one call',
  reservations: 'Holds, each a cart of one or more lines: reserve stock for a TTL, read a hold, extend it, release some of its units',
  checkout: 'End a hold, every line at once: confirm (sold) or cancel (stock back)',
  health: 'Probes for load balancers and Kubernetes (outside /api/v1)',
};

/** `AdminInventoryController.create` -> `adminInventoryCreate`: unique and usable as a generated client's method name. */
export function operationId(controllerKey: string, methodKey: string): string {
  const controller = controllerKey.replace(/Controller$/, '');
  return `${controller.charAt(0).toLowerCase()}${controller.slice(1)}${methodKey.charAt(0).toUpperCase()}${methodKey.slice(1)}`;
}

/** Swagger UI at /docs, the OpenAPI document at /docs-json. */
export function setupSwagger(app: INestApplication, apiPrefix: string, customerKeyRequired: boolean): void {
  const builder = new DocumentBuilder()
    .setTitle('Inventory Reservation Service')
    .setDescription(
      'Holds stock while a customer checks out. Every response uses the envelope ' +
        '`{ success, message?, data }`; errors are `{ success: false, message, code, errors?, requestId }`. ' +
        'Health endpoints live outside the /api/v1 prefix. ' +
        'Admin operations need an API key with the scope each names; send it as `Authorization: Bearer <key>` or `X-API-Key: <key>` ' +
        '(use "Authorize" above). No key, or an unknown or revoked one: 401 UNAUTHENTICATED; a key without the scope: 403 FORBIDDEN.',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (irs_..., or ADMIN_API_KEY)' }, BEARER_SCHEME)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same API key, in its own header' }, API_KEY_SCHEME);
  for (const [name, description] of Object.entries(API_TAGS)) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), { operationIdFactory: operationId });
  describeSecurity(document, customerKeyRequired);
  describeCommonResponses(document, `/${apiPrefix}/`);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerOptions: { persistAuthorization: true } });
}
