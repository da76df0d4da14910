// The build's stand-in for '@faker-js/faker' in dist/description-mock.js (scripts/build.mjs): the English
// locale only, under the names Prism reads (`require('@faker-js/faker').default`).
const faker = require('@faker-js/faker/locale/en');

module.exports = { default: faker, faker };
