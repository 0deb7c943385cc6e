module.exports = async function mongoGlobalTeardown() {
  if (globalThis.__MONGO_REPLSET__) await globalThis.__MONGO_REPLSET__.stop();
};
