import { Controller, Get, Post } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { CustomerRoute, PublicRoute, RequireScope } from './access-policy';
import { AccessPolicyAudit, AccessPolicyError } from './access-policy.audit';

@Controller('admin/widgets')
class ProtectedAdminController {
  @Get()
  @RequireScope('inventory:read')
  list() {}
}

@Controller('admin/gadgets')
class ForgetfulAdminController {
  @Post()
  @CustomerRoute('write')
  create() {}
}

@Controller('shop')
class UndeclaredController {
  @Get(':id')
  get() {}
}

@PublicRoute()
@Controller('status')
class PublicController {
  @Get()
  status() {}
}

const audit = async (...controllers: (new () => unknown)[]) => {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], controllers, providers: [AccessPolicyAudit] }).compile();
  return moduleRef.get(AccessPolicyAudit);
};

describe(AccessPolicyAudit.name, () => {
  it('should list every route with its method, path and policy (a class policy covers its handlers)', async () => {
    const subject = await audit(ProtectedAdminController, PublicController);
    expect(subject.routes()).toEqual([
      {
        method: 'GET',
        path: 'admin/widgets',
        handler: 'ProtectedAdminController.list',
        policy: { kind: 'scope', scope: 'inventory:read' },
      },
      { method: 'GET', path: 'status', handler: 'PublicController.status', policy: { kind: 'public' } },
    ]);
    expect(() => subject.onModuleInit()).not.toThrow();
  });

  it('should refuse to start with an admin route that needs no scope', async () => {
    const subject = await audit(ProtectedAdminController, ForgetfulAdminController);
    expect(() => subject.onModuleInit()).toThrow(AccessPolicyError);
    expect(() => subject.onModuleInit()).toThrow(
      'ForgetfulAdminController.create (POST /admin/gadgets) is an admin route and must declare @RequireScope',
    );
  });

  it('should refuse to start with a route that declares no policy at all', async () => {
    const subject = await audit(UndeclaredController);
    expect(() => subject.onModuleInit()).toThrow('UndeclaredController.get (GET /shop/:id) declares no access policy');
  });
});
