import { Logger } from '@nestjs/common';
import Fastify, { FastifyInstance } from 'fastify';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { waitForRequestsInFlightOnClose } from './requests-in-flight';

describe(waitForRequestsInFlightOnClose.name, () => {
  let fastify: FastifyInstance;
  let logged: string[];
  let finishHandler: () => void;
  let handlerStarted: Promise<void>;
  let handlerFinished: boolean;
  let fastHandlerRan: boolean;

  const build = async (timeoutMs: number, hooks: (fastify: FastifyInstance) => void = () => undefined) => {
    // As the service (SERVE_WHILE_CLOSING): requests reach their routes while closing.
    fastify = Fastify({ return503OnClosing: false });
    waitForRequestsInFlightOnClose(fastify, timeoutMs);
    hooks(fastify);
    let started: () => void;
    handlerStarted = new Promise((resolve) => (started = resolve));
    fastify.post('/slow', async () => {
      started();
      await new Promise<void>((resolve) => (finishHandler = resolve));
      handlerFinished = true;
      return { done: true };
    });
    fastify.get('/fast', async () => {
      fastHandlerRan = true;
      return { done: true };
    });
    await fastify.ready();
  };

  beforeEach(() => {
    logged = [];
    handlerFinished = false;
    fastHandlerRan = false;
    for (const level of ['log', 'warn'] as const)
      jest.spyOn(Logger.prototype, level).mockImplementation((message: unknown, ..._rest: unknown[]) => void logged.push(String(message)));
  });
  afterEach(() => jest.restoreAllMocks());

  it('should close only after a handler still running has finished', async () => {
    await build(60_000);
    const slow = fastify.inject({ method: 'POST', url: '/slow' });
    await handlerStarted;

    const closing = fastify.close();
    await until(() => logged.length > 0);
    expect(handlerFinished).toBe(false);
    expect(logged).toEqual(['Waiting for 1 request(s) still being handled before closing the database']);
    finishHandler();
    await closing;
    expect(handlerFinished).toBe(true);
    expect(logged).toContain('1 request(s) handled; closing the database');
    expect((await slow).statusCode).toBe(200);
  });

  it('should wait for nothing once handled requests and not-found answers are done', async () => {
    await build(60_000);
    expect((await fastify.inject({ method: 'GET', url: '/fast' })).statusCode).toBe(200);
    expect((await fastify.inject({ method: 'GET', url: '/missing' })).statusCode).toBe(404);
    await fastify.close();
    expect(logged).toEqual([]);
  });

  it('should not start the handler of a request whose client left, once the wait is over', async () => {
    let reachedGate!: () => void;
    const atGate = new Promise<void>((resolve) => (reachedGate = resolve));
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let answered: number | undefined;
    await build(60_000, (instance) => {
      instance.addHook('preHandler', async () => {
        reachedGate();
        await gate;
      });
      instance.addHook('onSend', async (_request, reply) => void (answered = reply.statusCode));
    });
    await fastify.listen({ port: 0, host: '127.0.0.1' });

    const client = httpRequest({ port: (fastify.server.address() as AddressInfo).port, host: '127.0.0.1', path: '/fast', agent: false });
    client.on('error', () => undefined);
    client.end();
    await atGate;
    client.destroy();
    await fastify.close();

    openGate();
    await until(() => answered !== undefined);
    expect(fastHandlerRan).toBe(false);
    expect(answered).toBe(503);
  });

  it('should stop waiting after the shutdown timeout, saying how many still run', async () => {
    await build(1);
    void fastify.inject({ method: 'POST', url: '/slow' });
    await handlerStarted;

    await fastify.close();
    expect(handlerFinished).toBe(false);
    expect(logged).toContain('1 request(s) still running after 1 ms; closing the database anyway');
    finishHandler();
  });
});

/** Lets pending callbacks run until `check` holds (the close runs its hooks over a few turns of the event loop). */
async function until(check: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !check(); turn++) await new Promise((resolve) => setImmediate(resolve));
}
