import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AddressInfo } from 'node:net';

/** The port cannot be bound (in use, or privileged); reported as one line, without a stack. */
export class PortUnavailableError extends Error {
  override name = 'PortUnavailableError';
}

const REASONS: Record<string, string> = {
  EADDRINUSE: 'is already in use by another process: stop it, or set PORT to a free port',
  EACCES: 'needs privileges this process does not have: set PORT to 1024 or above',
  EADDRNOTAVAIL: 'cannot be bound: HOST is not an address of this machine',
};

/** Binds the server and returns the address actually bound, e.g. "0.0.0.0:3000" or "[::]:3000". */
export async function listenOn(app: NestFastifyApplication, port: number, host: string): Promise<string> {
  try {
    await app.listen({ port, host });
  } catch (error) {
    const reason = REASONS[(error as { code?: string }).code ?? ''];
    if (reason) throw new PortUnavailableError(`${host}:${port} ${reason}`);
    throw error;
  }
  const { address, port: boundPort } = app.getHttpServer().address() as AddressInfo;
  return `${address.includes(':') ? `[${address}]` : address}:${boundPort}`;
}
