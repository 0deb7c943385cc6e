import { createValidationPipe } from '../common/validation';
import { RequestValidationError } from '../common/request-validation.error';
import { ReservationIdDto } from './dto/reservation-id';
import { ReservationIdParamPipe } from './reservation-id-param.pipe';

const ID = '550e8400-e29b-41d4-a716-446655440000';

describe('reservation ids at the API edge', () => {
  it('should pass a path id on in lower case, so every backend finds the hold', async () => {
    expect(await new ReservationIdParamPipe().transform(ID.toUpperCase(), { type: 'param', data: 'reservationId' })).toBe(ID);
  });

  it('should still reject a path segment that is not a UUID', async () => {
    await expect(new ReservationIdParamPipe().transform('NOT-A-UUID', { type: 'param', data: 'reservationId' })).rejects.toThrow(
      RequestValidationError,
    );
  });

  it('should lower-case the body id of confirm and cancel, and reject one that is not a UUID', async () => {
    const pipe = createValidationPipe();
    const metadata = { type: 'body' as const, metatype: ReservationIdDto };
    expect(await pipe.transform({ reservationId: ID.toUpperCase() }, metadata)).toEqual({ reservationId: ID });
    await expect(pipe.transform({ reservationId: 'X'.repeat(36) }, metadata)).rejects.toThrow(RequestValidationError);
    await expect(pipe.transform({ reservationId: 42 }, metadata)).rejects.toThrow(RequestValidationError);
  });
});
