import * as assert from 'node:assert/strict';
import { analyzeAs, mutate, readExample, textAt } from '../helpers/manifests';

const RLO = '\u202E';
const list = readExample('list');

function bidiFindings(text: string) {
  return analyzeAs('list', text).diagnostics.filter((d) => d.code === 'bidi-control');
}

describe('bidi-control (Trojan Source)', () => {
  it('a clean manifest has none', () => {
    assert.deepEqual(bidiFindings(list), []);
  });

  it('a right-to-left override in a URL: a warning on exactly that character, naming its code point', () => {
    const text = mutate(list, '/v2/audiences",', `/v2/${RLO}secnaidua",`);
    const found = bidiFindings(text);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].severity, 'warning');
    assert.equal(textAt(text, found[0]), RLO);
    assert.match(found[0].message, /U\+202E RIGHT-TO-LEFT OVERRIDE, in the url value/);
    assert.ok(!found[0].message.includes(RLO), 'the message never carries the character itself');
  });

  it('in a payload key, a header name and a payload value; each isolate and mark found', () => {
    const cases: [string, string, RegExp][] = [
      ['"external_ref":', `"external_ref\u2066":`, /U\+2066 LEFT-TO-RIGHT ISOLATE, in a key/],
      ['"X-Pushwave-Workspace":', `"X-Pushwave\u200F-Workspace":`, /U\+200F RIGHT-TO-LEFT MARK, in a key/],
      ['"source": "amplitude"', `"source": "ampli\u061Ctude"`, /U\+061C ARABIC LETTER MARK, in the payload value/],
      ['"Content-Type": "application/json"', `"Content-Type": "application/\u2069json"`, /U\+2069 .*headers value/],
      [
        '"listIdPath": "audience.id"',
        `"listIdPath": "audience\u200E.id"`,
        /U\+200E LEFT-TO-RIGHT MARK, in the listIdPath value/,
      ],
    ];
    for (const [from, to, says] of cases) {
      const text = mutate(list, from, to);
      const found = bidiFindings(text);
      assert.equal(found.length, 1, `${to}: ${JSON.stringify(found)}`);
      assert.match(found[0].message, says);
      assert.equal(textAt(text, found[0]).length, 1);
    }
  });

  it('written as a JSON escape, the range covers the escape; an escaped backslash is not one', () => {
    const text = mutate(list, '"source": "amplitude"', '"source": "ampli\\u202Etude"');
    const found = bidiFindings(text);
    assert.equal(found.length, 1);
    assert.equal(textAt(text, found[0]), '\\u202E');
    assert.match(found[0].message, /U\+202E/);
    const literal = mutate(list, '"source": "amplitude"', '"source": "ampli\\\\u202Etude"');
    assert.deepEqual(bidiFindings(literal), []);
  });

  it('in a comment too; a description customers read (right-to-left prose) is left alone', () => {
    const comment = `// ${RLO} looks harmless\n${list}`;
    assert.equal(bidiFindings(comment).length, 1);
    const prose = mutate(list, '"Settings > Workspace in Pushwave."', '"\u200Fהגדרות > Workspace in Pushwave."');
    assert.deepEqual(bidiFindings(prose), []);
  });

  it('a hostile manifest full of them gets at most 100 findings', () => {
    const text = mutate(list, '"source": "amplitude"', `"source": "${RLO.repeat(5000)}"`);
    assert.equal(bidiFindings(text).length, 100);
  });
});
