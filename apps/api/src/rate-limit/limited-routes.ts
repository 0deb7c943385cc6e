/** Only routes under the API prefix (set in app.factory.ts) are limited: health probes, /docs and the web UI never are. */
const LIMITED_PREFIX = '/api/v1/';

/** Routes that create holds: they also count against the tighter "reserve" policy. Method and route template. */
export const RESERVE_CLASS_ROUTES: readonly string[] = [
  'POST /api/v1/inventory/reserve',
  // The cart hold; listed ahead of its route so it is limited from the day it exists.
  'POST /api/v1/reservations',
];

/** The request as Fastify describes it: `routeOptions.url` is the route template (e.g. /api/v1/inventory/:sku). */
export interface RoutedRequest {
  method: string;
  routeOptions?: { url?: string };
}

export function isLimitedRoute(request: RoutedRequest): boolean {
  return request.routeOptions?.url?.startsWith(LIMITED_PREFIX) ?? false;
}

export function isReserveClassRoute(request: RoutedRequest): boolean {
  return RESERVE_CLASS_ROUTES.includes(`${request.method} ${request.routeOptions?.url ?? ''}`);
}
