// Jest-only stand-in for content-disposition@3 (ESM-only, required by @fastify/static). Jest 29 cannot
// require an ES module, while Node 20.19+ can, so at run time the real package is used. This adapter
// gives v3's named exports over the CommonJS v1 release, whose default export is the same `create`.
const contentDisposition = require('content-disposition-cjs');

module.exports = { create: contentDisposition, parse: contentDisposition.parse };
