import { Injectable, OnModuleInit, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_POLICY, AccessPolicy } from './access-policy';

/** Admin routes live under this path (below the global /api/v1 prefix). */
export const ADMIN_PATH = 'admin';

export interface RouteAccess {
  method: string;
  /** Controller and handler path joined, without the global prefix and without leading slash (`admin/inventory/:sku`). */
  path: string;
  handler: string;
  policy: AccessPolicy | undefined;
}

export class AccessPolicyError extends Error {
  override name = 'AccessPolicyError';
}

/**
 * Checks at startup that every route declares who may call it, and that every admin route needs a scope: a new
 * route that forgets fails to start instead of serving unprotected. `routes()` is the table the e2e tests walk.
 */
@Injectable()
export class AccessPolicyAudit implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const problems = this.routes().flatMap((route) => {
      const where = `${route.handler} (${route.method} /${route.path})`;
      if (!route.policy) return [`${where} declares no access policy: add @RequireScope(...), @CustomerRoute(...) or @PublicRoute()`];
      if (isAdminPath(route.path) && route.policy.kind !== 'scope')
        return [`${where} is an admin route and must declare @RequireScope(...)`];
      return [];
    });
    if (problems.length > 0) throw new AccessPolicyError(`Unprotected routes: ${problems.join('; ')}`);
  }

  routes(): RouteAccess[] {
    return this.discovery.getControllers().flatMap(({ metatype, instance }) => {
      if (!metatype || !instance) return [];
      const controllerPaths = pathsOf(Reflect.getMetadata(PATH_METADATA, metatype));
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      return this.scanner.getAllMethodNames(prototype).flatMap((name) => {
        const handler = prototype[name] as (...args: unknown[]) => unknown;
        const methodPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (methodPaths === undefined) return [];
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [handler, metatype]);
        return controllerPaths.flatMap((base) =>
          pathsOf(methodPaths).map((path) => ({ method, path: joinPath(base, path), handler: `${metatype.name}.${name}`, policy })),
        );
      });
    });
  }
}

export function isAdminPath(path: string): boolean {
  return path === ADMIN_PATH || path.startsWith(`${ADMIN_PATH}/`);
}

function pathsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [typeof value === 'string' ? value : ''];
}

function joinPath(...parts: string[]): string {
  return parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
}
