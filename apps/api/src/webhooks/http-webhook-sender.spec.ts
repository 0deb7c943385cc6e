import { WebhookSettings } from '@app/core';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { guardedLookup, Lookup } from './guarded-lookup';
import { HttpWebhookSender } from './http-webhook-sender';

/** The sender with a resolver that answers every host name with `address`, as DNS would. */
function senderResolvingTo(settings: WebhookSettings, address: string): HttpWebhookSender {
  const resolve: Lookup = (_hostname, options, callback) =>
    options.all ? callback(null, [{ address, family: 4 }]) : callback(null, address, 4);
  return new (class extends HttpWebhookSender {
    protected override readonly lookup = guardedLookup(settings.urlPolicy, resolve);
  })(settings, 5_000);
}

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

/** A receiver on 127.0.0.1 that records what it was sent. */
async function receiver(
  handle: Handler,
): Promise<{ url: string; received: { headers: IncomingMessage['headers']; body: string }[]; server: Server }> {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      handle(request, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

const open = new WebhookSettings({ allowHttp: true, allowPrivateNetworks: true });

describe(HttpWebhookSender.name, () => {
  const servers: Server[] = [];
  const start = async (handle: Handler) => {
    const started = await receiver(handle);
    servers.push(started.server);
    return started;
  };
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('should POST the body with the given headers and report the status', async () => {
    const target = await start((_request, _body, response) => response.writeHead(204).end());
    const result = await new HttpWebhookSender(open, 5_000).send(
      target.url,
      { 'webhook-id': 'evt-1', 'content-type': 'application/json' },
      '{"a":1}',
    );
    expect(result).toMatchObject({ statusCode: 204, error: null });
    expect(target.received).toEqual([
      {
        headers: expect.objectContaining({ 'webhook-id': 'evt-1', 'content-type': 'application/json', 'content-length': '7' }),
        body: '{"a":1}',
      },
    ]);
  });

  it('should not follow a redirect: the 3xx is the answer and its target gets nothing', async () => {
    const elsewhere = await start((_request, _body, response) => response.writeHead(200).end());
    const target = await start((_request, _body, response) => response.writeHead(302, { location: elsewhere.url }).end());
    expect(await new HttpWebhookSender(open, 5_000).send(target.url, {}, '{}')).toMatchObject({ statusCode: 302, error: null });
    expect(elsewhere.received).toHaveLength(0);
  });

  it('should give up a receiver that does not answer within the time limit', async () => {
    const target = await start(() => undefined);
    expect(await new HttpWebhookSender(open, 300).send(target.url, {}, '{}')).toMatchObject({
      statusCode: null,
      error: 'timed out after 300 ms',
    });
  });

  it('should report a refused connection as an error without a status', async () => {
    const target = await start(() => undefined);
    target.server.close();
    const result = await new HttpWebhookSender(open, 5_000).send(target.url, {}, '{}');
    expect(result.statusCode).toBeNull();
    expect(result.error).toContain('ECONNREFUSED');
  });

  it('should keep the status of an answer whose body passes the size cap', async () => {
    const target = await start((_request, _body, response) => {
      response.writeHead(200);
      response.end(Buffer.alloc(1024 * 1024, 'x'));
    });
    expect(await new HttpWebhookSender(open, 5_000).send(target.url, {}, '{}')).toMatchObject({ statusCode: 200, error: null });
  });

  it('should refuse, without connecting, a URL the current policy does not allow', async () => {
    const target = await start((_request, _body, response) => response.writeHead(200).end());
    const strict = new WebhookSettings({ allowHttp: true, allowPrivateNetworks: false });
    const result = await new HttpWebhookSender(strict, 5_000).send(target.url, {}, '{}');
    expect(result).toEqual({ statusCode: null, error: expect.stringContaining('private or loopback'), durationMs: 0 });
    const noHttp = new WebhookSettings({ allowHttp: false, allowPrivateNetworks: true });
    expect((await new HttpWebhookSender(noHttp, 5_000).send(target.url, {}, '{}')).error).toContain('must use https');
    expect(target.received).toHaveLength(0);
  });

  it('should connect to the address a host name resolves to, once the policy allows it', async () => {
    const target = await start((_request, _body, response) => response.writeHead(202).end());
    const url = target.url.replace('127.0.0.1', 'hooks.example.com');
    expect(await senderResolvingTo(open, '127.0.0.1').send(url, {}, '{}')).toMatchObject({ statusCode: 202, error: null });
    expect(target.received).toHaveLength(1);
    expect(await new HttpWebhookSender(open, 5_000).send(target.url.replace('127.0.0.1', 'localhost'), {}, '{}')).toMatchObject({
      statusCode: 202,
    });
  });

  it('should refuse a public name that DNS points at a refused address, before connecting', async () => {
    const target = await start((_request, _body, response) => response.writeHead(200).end());
    const url = target.url.replace('127.0.0.1', 'hooks.example.com');
    const strict = new WebhookSettings({ allowHttp: true, allowPrivateNetworks: false });
    const toLoopback = await senderResolvingTo(strict, '127.0.0.1').send(url, {}, '{}');
    expect(toLoopback.statusCode).toBeNull();
    expect(toLoopback.error).toContain('hooks.example.com resolves to a refused address: 127.0.0.1 is a private or loopback address');
    const toMetadata = await senderResolvingTo(open, '169.254.169.254').send(url, {}, '{}');
    expect(toMetadata.error).toContain('169.254.169.254 is a link-local');
    expect(target.received).toHaveLength(0);
  });
});
