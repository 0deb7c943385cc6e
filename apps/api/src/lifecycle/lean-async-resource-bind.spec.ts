import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { installLeanAsyncResourceBind } from './lean-async-resource-bind';

describe(installLeanAsyncResourceBind.name, () => {
  const original = Object.getOwnPropertyDescriptor(AsyncResource.prototype, 'bind')!;
  beforeAll(() => installLeanAsyncResourceBind());
  afterAll(() => {
    Object.defineProperty(AsyncResource.prototype, 'bind', original);
  });

  it('should run a bound function in the async context where it was bound', async () => {
    const storage = new AsyncLocalStorage<string>();
    const bound = storage.run('at bind', () => AsyncResource.bind(() => storage.getStore()));
    const seen = await storage.run('at call', () => new Promise((resolve) => setImmediate(() => resolve(bound()))));
    expect(seen).toBe('at bind');
  });

  it("should keep the caller's this, or the given thisArg, and the arguments and length", () => {
    const resource = new AsyncResource('test');
    function named(this: { name: string } | undefined, a: number, b: number) {
      return `${this?.name}:${a + b}`;
    }
    const free = resource.bind(named);
    expect(free.call({ name: 'caller' }, 1, 2)).toBe('caller:3');
    const given = AsyncResource.bind<typeof named, { name: string }>(named, 'test', { name: 'given' });
    expect(given.call(undefined, 3, 4)).toBe('given:7');
    expect(free.length).toBe(2);
  });

  it('should give bound functions no deprecated asyncResource accessor', () => {
    expect(
      Object.prototype.hasOwnProperty.call(
        AsyncResource.bind(() => 1),
        'asyncResource',
      ),
    ).toBe(false);
  });

  it('should refuse what is not a function', () => {
    expect(() => new AsyncResource('test').bind('no' as never)).toThrow(/must be of type function/);
  });
});
