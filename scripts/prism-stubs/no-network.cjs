// The build's stand-in for node-fetch in dist/description-mock.js (scripts/build.mjs). Prism imports it for
// its forwarder (a proxy, never used: the mock only mocks) and for OpenAPI callbacks, which the mock strips
// from the operations (mock/descriptionHandler.ts): the mock partner API is a server and opens no connection.
async function refuse() {
  throw new Error('the mock partner API opens no connection');
}

module.exports = refuse;
module.exports.default = refuse;
module.exports.Headers = class Headers {};
module.exports.Request = class Request {};
module.exports.Response = class Response {};
