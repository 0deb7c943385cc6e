import { ApiKeyScope, ApiKeyService, MissingScopeError, UnauthenticatedError } from '@app/core';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ACCESS_POLICY, AccessPolicy, CUSTOMER_WRITE_SCOPE } from './access-policy';
import { AUTH_OPTIONS } from './auth-options';
import type { AuthOptions } from './auth-options';
import { presentedKey } from './presented-key';

/** What a route needs from the caller: a scope, any valid key, or nothing (a key sent anyway must still be valid). */
type Requirement = { scope: ApiKeyScope } | 'any-key' | 'nothing';

/**
 * Global guard (APP_GUARD): reads the route's access policy (@RequireScope, @CustomerRoute, @PublicRoute), checks the
 * presented key against the database on every request (so a revocation counts at once on every instance), and
 * records the key's id on the request for what is kept per client. 401 UNAUTHENTICATED, 403 FORBIDDEN.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [context.getHandler(), context.getClass()]);
    // AccessPolicyAudit refuses such a route at startup; this is the backstop, and it fails closed.
    if (!policy) throw new Error(`${context.getClass().name}.${context.getHandler().name} declares no access policy`);
    if (policy.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const requirement = this.requirementOf(policy);
    const presented = presentedKey(request.headers);
    if (presented.kind === 'ambiguous') {
      throw new UnauthenticatedError('Send one API key, in either "Authorization: Bearer <key>" or "X-API-Key", once');
    }
    if (presented.kind === 'none') {
      if (requirement === 'nothing') return true;
      throw new UnauthenticatedError();
    }
    return this.admit(request, presented.secret, requirement);
  }

  private async admit(request: FastifyRequest, secret: string, requirement: Requirement): Promise<boolean> {
    const key = await this.keys.authenticate(secret);
    if (!key) throw new UnauthenticatedError('The API key is unknown or revoked');
    if (typeof requirement === 'object' && !key.scopes.includes(requirement.scope)) throw new MissingScopeError(requirement.scope);
    request.apiKeyId = key.id;
    return true;
  }

  private requirementOf(policy: Exclude<AccessPolicy, { kind: 'public' }>): Requirement {
    if (policy.kind === 'scope') return { scope: policy.scope };
    if (!this.options.customerKeyRequired) return 'nothing';
    return policy.access === 'write' ? { scope: CUSTOMER_WRITE_SCOPE } : 'any-key';
  }
}
