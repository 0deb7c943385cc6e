import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs, the OpenAPI document at /docs-json. */
export function setupSwagger(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Inventory Reservation Service')
      .setDescription(
        'Holds stock while a customer checks out. Every response uses the envelope ' +
          '`{ success, message?, data }`; errors are `{ success: false, message, code, errors?, requestId }`. ' +
          'Health endpoints live outside the /api/v1 prefix.',
      )
      .setVersion('1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
