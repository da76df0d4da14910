// The build's stand-in for @stoplight/http-spec's Postman transformer in dist/description-mock.js
// (scripts/build.mjs): descriptions are OpenAPI or Swagger (contract/description.ts refuses a Postman
// collection before the mock sees it), so postman-collection's 0.5 MB is left out.
function transformPostmanCollectionOperations() {
  throw new Error('Postman collections are not played by the mock');
}

module.exports = { transformPostmanCollectionOperations };
