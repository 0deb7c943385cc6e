import { connectionCapWarning, openFileLimit } from './open-file-limit';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             63465                63465                processes
Max open files            1024                 524288               files
`;

describe(openFileLimit.name, () => {
  it('should read the soft limit from /proc/self/limits', () => {
    expect(openFileLimit(() => LIMITS)).toBe(1024);
  });

  it('should give null when unlimited or unreadable', () => {
    expect(openFileLimit(() => LIMITS.replace('1024     ', 'unlimited'))).toBeNull();
    expect(
      openFileLimit(() => {
        throw new Error('ENOENT');
      }),
    ).toBeNull();
  });
});

describe(connectionCapWarning.name, () => {
  it('should warn when the cap leaves the pool too few descriptors, naming a cap that fits', () => {
    expect(connectionCapWarning(1_000, 10, 1_024)).toBe(
      'MAX_CONNECTIONS (1000) plus the database pool (10) leaves too few of the 1024 open files this process may have (ulimit -n): ' +
        'lower MAX_CONNECTIONS to 886 or raise the limit',
    );
  });

  it('should stay quiet when the cap fits or the limit is unknown', () => {
    expect(connectionCapWarning(1_000, 10, 20_000)).toBeNull();
    expect(connectionCapWarning(886, 10, 1_024)).toBeNull();
    expect(connectionCapWarning(1_000, 10, null)).toBeNull();
  });
});
