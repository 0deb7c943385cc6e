import { AsyncResource } from 'node:async_hooks';

type Bind = <F extends (...args: never[]) => unknown>(this: AsyncResource, fn: F, thisArg?: unknown) => F;

/**
 * Node 20's AsyncResource#bind gives every bound function a deprecated `asyncResource` accessor (DEP0172), wrapping its
 * getter and setter in util.deprecate on each call. Fastify binds once per request with a body (its content-type
 * parser) and Nest twice per intercepted request (its interceptors consumer), so the wrappers showed up in the reserve
 * path's CPU profile (BENCHMARKS.md). This binds the same way, in the resource's async scope with the same `this` and
 * `length`, without that accessor; nothing in this service or its dependencies reads it. Where Node no longer defines
 * the accessor, nothing is changed.
 */
export function installLeanAsyncResourceBind(): void {
  const probe = new AsyncResource('probe').bind(() => undefined);
  if (!Object.prototype.hasOwnProperty.call(probe, 'asyncResource')) return;
  const leanBind: Bind = function (fn, thisArg) {
    if (typeof fn !== 'function') throw new TypeError(`The "fn" argument must be of type function. Received ${typeof fn}`);
    const resource = this as AsyncResource & { runInAsyncScope(fn: unknown, thisArg: unknown, ...args: unknown[]): unknown };
    const bound =
      thisArg === undefined
        ? function (this: unknown, ...args: unknown[]) {
            return resource.runInAsyncScope(fn, this, ...args);
          }
        : (...args: unknown[]) => resource.runInAsyncScope(fn, thisArg, ...args);
    Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, value: fn.length, writable: false });
    return bound as unknown as typeof fn;
  };
  AsyncResource.prototype.bind = leanBind as AsyncResource['bind'];
}
