import Redis from 'ioredis';

/** A Redis command that takes longer than this fails, and the request it was counting goes through (fail open). */
const COMMAND_TIMEOUT_MS = 500;
/** ioredis leaves this timer running after a refused connection, so a closed client can hold the process this long. */
export const REDIS_CONNECT_TIMEOUT_MS = 1_000;
const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * A client that never makes a request wait for Redis: while disconnected, commands fail at once instead of queueing
 * (enableOfflineQueue: false), a command in flight when the connection drops fails instead of being retried
 * (maxRetriesPerRequest: 0), and a slow one fails after COMMAND_TIMEOUT_MS. It keeps reconnecting in the background.
 */
export function createRedisClient(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
  });
}

/** Resolves true once connected, false on the first connection error or after `timeoutMs`; never rejects. */
export function waitUntilReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
      resolve(ready);
    };
    const onReady = () => finish(true);
    const onError = () => finish(false);
    const timer = setTimeout(() => finish(false), timeoutMs);
    redis.once('ready', onReady);
    redis.once('error', onError);
  });
}
