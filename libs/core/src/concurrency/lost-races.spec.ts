import { ConcurrentModificationError } from '../errors/domain-error';
import { LOST_RACE, LOST_RACE_ATTEMPTS, retryLostRaces, stockOf } from './lost-races';

describe(retryLostRaces.name, () => {
  it('should return the first outcome that is not a lost race, without further attempts', async () => {
    const attempt = jest.fn().mockResolvedValueOnce(LOST_RACE).mockResolvedValueOnce('done').mockResolvedValue('again');
    expect(await retryLostRaces(stockOf('A'), attempt)).toBe('done');
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it('should throw ConcurrentModificationError naming the subject once every attempt lost', async () => {
    const attempt = jest.fn().mockResolvedValue(LOST_RACE);
    const failure = retryLostRaces(stockOf('A'), attempt);
    await expect(failure).rejects.toBeInstanceOf(ConcurrentModificationError);
    await expect(failure).rejects.toMatchObject({
      code: 'CONCURRENT_MODIFICATION',
      kind: 'conflict',
      message: "Stock of 'A' kept changing concurrently; retry the request",
      details: { sku: 'A' },
    });
    expect(attempt).toHaveBeenCalledTimes(LOST_RACE_ATTEMPTS);
  });

  it('should honour a custom number of attempts', async () => {
    const attempt = jest.fn().mockResolvedValue(LOST_RACE);
    await expect(retryLostRaces(stockOf('A'), attempt, 1)).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('should let a domain error of an attempt through untouched', async () => {
    const error = new Error('not found');
    await expect(retryLostRaces(stockOf('A'), () => Promise.reject(error))).rejects.toBe(error);
  });
});
