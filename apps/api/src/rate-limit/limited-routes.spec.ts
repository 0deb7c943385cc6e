import { isLimitedRoute, isReserveClassRoute } from './limited-routes';

describe('limited routes', () => {
  const request = (method: string, url?: string) => ({ method, routeOptions: { url } });

  it('should limit the API and nothing else', () => {
    expect(isLimitedRoute(request('GET', '/api/v1/inventory/:sku'))).toBe(true);
    expect(isLimitedRoute(request('GET', '/health/ready'))).toBe(false);
    expect(isLimitedRoute(request('GET', '/docs'))).toBe(false);
    expect(isLimitedRoute(request('GET', '/index.html'))).toBe(false);
    expect(isLimitedRoute(request('GET'))).toBe(false);
  });

  it('should put only the hold-creating routes in the reserve class', () => {
    expect(isReserveClassRoute(request('POST', '/api/v1/inventory/reserve'))).toBe(true);
    expect(isReserveClassRoute(request('POST', '/api/v1/reservations'))).toBe(true);
    expect(isReserveClassRoute(request('GET', '/api/v1/reservations/:reservationId'))).toBe(false);
    expect(isReserveClassRoute(request('POST', '/api/v1/checkout/confirm'))).toBe(false);
  });
});
