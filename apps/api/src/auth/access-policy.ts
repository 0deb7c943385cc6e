import { ApiKeyScope } from '@app/core';
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const ACCESS_POLICY = Symbol('ACCESS_POLICY');

/**
 * Who may call a route. `scope`: a key holding that scope (every admin route). `customer`: open by default;
 * with CUSTOMER_API_KEY_REQUIRED, writes need reservations:write and reads any valid key. `public`: no key at all.
 */
export type AccessPolicy = { kind: 'scope'; scope: ApiKeyScope } | { kind: 'customer'; access: 'read' | 'write' } | { kind: 'public' };

/** Scope a customer write needs when CUSTOMER_API_KEY_REQUIRED is on. */
export const CUSTOMER_WRITE_SCOPE: ApiKeyScope = 'reservations:write';

/** OpenAPI extensions read by describeSecurity (swagger-security.ts) to document each operation's access. */
export const REQUIRED_SCOPE_EXTENSION = 'x-required-scope';
export const CUSTOMER_ACCESS_EXTENSION = 'x-customer-access';

/** The route needs an API key with `scope`. Every route under /admin must have one (checked at startup). */
export const RequireScope = (scope: ApiKeyScope) =>
  applyDecorators(
    SetMetadata(ACCESS_POLICY, { kind: 'scope', scope } satisfies AccessPolicy),
    ApiExtension(REQUIRED_SCOPE_EXTENSION, scope),
  );

/** A storefront route: open unless CUSTOMER_API_KEY_REQUIRED is on. */
export const CustomerRoute = (access: 'read' | 'write') =>
  applyDecorators(
    SetMetadata(ACCESS_POLICY, { kind: 'customer', access } satisfies AccessPolicy),
    ApiExtension(CUSTOMER_ACCESS_EXTENSION, access),
  );

/** No key is read or needed (health probes). */
export const PublicRoute = () => SetMetadata(ACCESS_POLICY, { kind: 'public' } satisfies AccessPolicy);
