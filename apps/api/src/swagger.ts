import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { describeCommonResponses } from './common/swagger/common-responses';

/** Every tag an operation uses, with what it groups; a test checks that none is missing. */
export const API_TAGS: Record<string, string> = {
  'admin inventory': 'Stock management for admins: create, bulk import, list, update, delete, reconcile',
  inventory: 'What a customer sees of a SKU',
  reservations: 'Holds: reserve stock for the TTL and read a hold',
  checkout: 'End a hold: confirm (sold) or cancel (stock back)',
  health: 'Probes for load balancers and Kubernetes (outside /api/v1)',
};

/** `AdminInventoryController.create` -> `adminInventoryCreate`: unique and usable as a generated client's method name. */
export function operationId(controllerKey: string, methodKey: string): string {
  const controller = controllerKey.replace(/Controller$/, '');
  return `${controller.charAt(0).toLowerCase()}${controller.slice(1)}${methodKey.charAt(0).toUpperCase()}${methodKey.slice(1)}`;
}

/** Swagger UI at /docs, the OpenAPI document at /docs-json. */
export function setupSwagger(app: INestApplication, apiPrefix: string): void {
  const builder = new DocumentBuilder()
    .setTitle('Inventory Reservation Service')
    .setDescription(
      'Holds stock while a customer checks out. Every response uses the envelope ' +
        '`{ success, message?, data }`; errors are `{ success: false, message, code, errors?, requestId }`. ' +
        'Health endpoints live outside the /api/v1 prefix.',
    )
    .setVersion('1.0');
  for (const [name, description] of Object.entries(API_TAGS)) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), { operationIdFactory: operationId });
  describeCommonResponses(document, `/${apiPrefix}/`);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
