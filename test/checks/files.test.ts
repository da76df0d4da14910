import * as assert from 'assert';
import { analyzeAs, mutate, readExample, textAt } from '../helpers/manifests';

describe('file checks', () => {
  it('logo-missing', () => {
    const text = mutate(readExample('list'), '"logo": "logo.png"', '"logo": "brand/logo.png"');
    assert.deepStrictEqual(
      analyzeAs('list', text).diagnostics.map((d) => [d.code, textAt(text, d)]),
      [['logo-missing', '"brand/logo.png"']],
    );
  });

  it('logo-not-png: a file that is not a PNG, whatever its name', () => {
    const text = mutate(readExample('streaming'), '"logo": "logo.png"', '"logo": "body.ftl"');
    assert.deepStrictEqual(
      analyzeAs('streaming', text).diagnostics.map((d) => d.code),
      ['logo-not-png'],
    );
  });

  it('template-missing', () => {
    const text = mutate(readExample('streaming'), '"bodyTemplate": "body.ftl"', '"bodyTemplate": "event.ftl"');
    assert.deepStrictEqual(
      analyzeAs('streaming', text).diagnostics.map((d) => d.code),
      ['template-missing'],
    );
  });

  it('step-image-missing', () => {
    const text = mutate(readExample('ingestion'), '"images/step-3.png"', '"images/step-9.png"');
    assert.deepStrictEqual(
      analyzeAs('ingestion', text).diagnostics.map((d) => [d.code, textAt(text, d)]),
      [['step-image-missing', '"images/step-9.png"']],
    );
  });

  it('file-not-local: URLs, absolute paths and paths out of the workspace', () => {
    for (const logo of ['https://cdn.example.com/logo.png', '/etc/passwd', '../../../../../../etc/passwd']) {
      const text = mutate(readExample('list'), '"logo": "logo.png"', `"logo": ${JSON.stringify(logo)}`);
      assert.deepStrictEqual(
        analyzeAs('list', text).diagnostics.map((d) => d.code),
        ['file-not-local'],
        logo,
      );
    }
  });
});
