// The build's stand-in for '@faker-js/faker' in dist/description-mock.js (scripts/build.mjs). Prism calls
// faker only for dynamic examples (`mock.dynamic: true`); the description-driven mock answers static ones,
// so the 4 MB of locales are left out. A dynamic call would fail here rather than guess.
const refuse = () => {
  throw new Error('dynamic examples are not part of the description-driven mock');
};

module.exports = { default: new Proxy({}, { get: refuse }), faker: new Proxy({}, { get: refuse }) };
