// Jest global setup: decides once per run whether the MongoDB suites can run.
// TEST_MONGODB_URL wins; otherwise mongodb-memory-server tries to start a single-node replica set (it must
// download mongod, which works only on machines that reach the MongoDB download site). The outcome is passed
// to the test workers through the environment. REQUIRE_MONGO=1 turns "no MongoDB" into a failure.
const START_TIMEOUT_MS = 60_000;

module.exports = async function mongoGlobalSetup() {
  if (process.env.TEST_MONGODB_URL) {
    process.env.MONGO_TESTS = 'on';
    console.log(`\nMongoDB suites: using TEST_MONGODB_URL`);
    return;
  }
  let reason;
  try {
    const { MongoMemoryReplSet } = require('mongodb-memory-server-core');
    const quiet = silenceConsole();
    try {
      const replSet = await withTimeout(
        MongoMemoryReplSet.create({ replSet: { count: 1, storageEngine: 'wiredTiger' } }),
        START_TIMEOUT_MS,
      );
      globalThis.__MONGO_REPLSET__ = replSet;
      process.env.TEST_MONGODB_URL = replSet.getUri();
      process.env.MONGO_TESTS = 'on';
      console.log(`\nMongoDB suites: using a mongodb-memory-server replica set`);
      return;
    } finally {
      quiet.restore();
    }
  } catch (error) {
    reason = String(error && error.message ? error.message : error)
      .split('\n')[0]
      .slice(0, 200);
  }
  const line = `MongoDB suites skipped: TEST_MONGODB_URL is not set and mongodb-memory-server could not start mongod (${reason})`;
  process.env.MONGO_TESTS = 'off';
  process.env.MONGO_SKIP_REASON = 'no MongoDB: set TEST_MONGODB_URL';
  if (process.env.REQUIRE_MONGO === '1') throw new Error(`REQUIRE_MONGO=1 but no MongoDB is available. ${line}`);
  console.log(`\n${line}`);
};

function withTimeout(promise, ms) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`no replica set within ${ms} ms`)), ms).unref()),
  ]);
}

function silenceConsole() {
  const saved = { warn: console.warn, error: console.error };
  console.warn = () => undefined;
  console.error = () => undefined;
  return { restore: () => Object.assign(console, saved) };
}
