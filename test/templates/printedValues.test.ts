import * as assert from 'assert';
import {
  amplitudeTime,
  duplicateKeys,
  numberProblem,
  printedTime,
  readBody,
  shiftWords,
  stringAround,
  timeShiftUs,
  validStringContent,
} from '../../server/src/templates/printedValues';

/** The readings the value-by-value check makes of a rendered body, on the bytes FreeMarker 2.3.31 prints. */
describe('printed values: numbers, strings, times and keys as the body carries them', () => {
  it('a number: grouped (en_US default), in a dot-grouping locale, rounded or cut; itself is no problem', () => {
    assert.deepStrictEqual(numberProblem('1,299.99', 1299.99), { kind: 'grouped', printed: '1,299.99' });
    assert.deepStrictEqual(numberProblem('501,234,567,890', 501234567890), {
      kind: 'grouped',
      printed: '501,234,567,890',
    });
    assert.deepStrictEqual(numberProblem('1.299,99', 1299.99), { kind: 'locale', printed: '1.299,99' });
    assert.deepStrictEqual(numberProblem('20', 19.99), { kind: 'rounded', printed: '20' });
    assert.deepStrictEqual(numberProblem('37.7749', 37.774929), { kind: 'rounded', printed: '37.7749' });
    assert.strictEqual(numberProblem('1299.99', 1299.99), undefined);
    assert.strictEqual(numberProblem('1E21', 1e21), undefined);
    assert.strictEqual(numberProblem('1763647400000123', 1763647400000123), undefined);
    // Another number altogether (cents, a sum) is not this one changed.
    assert.strictEqual(numberProblem('129999', 1299.99), undefined);
  });

  it('string content: a bare quote, a raw newline or a lone backslash cannot stand in a JSON string', () => {
    assert.ok(validStringContent('say \\"hi\\" \\u2028 \\\\ ok'));
    assert.ok(!validStringContent('say "hi"'));
    assert.ok(!validStringContent('multi\nline'));
    assert.ok(!validStringContent('C:\\Temp'));
    assert.ok(!validStringContent('ends with \\'));
  });

  it('the string literal around an offset, from the scanner', () => {
    const body = readBody('{"a": "xyz", "b": 1}');
    assert.deepStrictEqual(stringAround(body, 8), { start: 6, end: 11 });
    assert.strictEqual(stringAround(body, 18), undefined);
    assert.strictEqual(body.errorAt, undefined);
    assert.strictEqual(readBody('{"a": 1,299}').errorAt, 8);
  });

  it('duplicate keys, per object, nested ones included', () => {
    const keys = duplicateKeys(readBody('{"a": 1, "b": {"a": 2, "c": 3, "c": 4}, "a": 5}').tree);
    assert.deepStrictEqual(
      keys.map((k) => k.key),
      ['a', 'c'],
    );
  });

  it('times: the printed instant against the event time, fewer digits being no shift', () => {
    const six = amplitudeTime('2026-11-20 14:03:27.518243');
    assert.ok(six);
    const shift = (printed: string) => timeShiftUs(six, printedTime(printed) ?? { us: NaN, unitUs: 1 });
    assert.strictEqual(shift('2026-11-20T14:03:27.518243Z'), 0);
    assert.strictEqual(shift('2026-11-20T14:03:27.518Z'), 0);
    assert.strictEqual(shift('2026-11-20T14:03:27Z'), 0);
    assert.strictEqual(shift('2026-11-20T14:03:27.000Z'), 0);
    assert.strictEqual(shift('2026-11-20T09:03:27.518-05:00'), 0);
    assert.strictEqual(shift('1795183407518'), 0);
    // SSSSSS reads 518243 as milliseconds: 518.243 s later, less the 0.518243 s that were there.
    assert.strictEqual(shift('2026-11-20T14:12:05.243Z'), 517_724_757);
    assert.strictEqual(shiftWords(517_724_757), '8 min 38 s later');
    assert.strictEqual(shiftWords(-3_600_000_000), '1 h earlier');
  });
});
