import * as assert from 'assert';
import { analyzePartnerAs, readPartner } from '../helpers/corpus';
import { mutate, textAt } from '../helpers/manifests';

/** Brevo's list creation is written in the portal editor's text: folderId must be a number, so $folder_id is bare. */
const brevo = readPartner('brevo-lists');

function findings(text: string) {
  return analyzePartnerAs('brevo-lists', text).diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    text: textAt(text, d),
    message: d.message,
  }));
}

describe('payload-text-not-json', () => {
  it('is silent on Brevo: text quoted, and a bare String field the customer fills with a number', () => {
    assert.deepStrictEqual(findings(brevo), []);
  });

  it('a bare $amp_cohort_name: Amplitude fills it with text, so the payload is not JSON', () => {
    const text = mutate(brevo, '\\"$amp_cohort_name\\"', '$amp_cohort_name');
    const found = findings(text);
    assert.deepStrictEqual(
      found.map((f) => [f.code, f.severity, f.text]),
      [['payload-text-not-json', 'error', '{ \\"name\\": $amp_cohort_name, \\"folderId\\": $folder_id }']],
    );
    assert.match(found[0].message, /^payloadText is not JSON once its variables have values/);
    assert.match(found[0].message, /\$amp_cohort_name is bare/);
    assert.match(found[0].message, /Amplitude fills it with text\. Quote it: "\$amp_cohort_name"/);
  });

  it('a payload text that is not JSON at all (the closing brace lost)', () => {
    const text = mutate(brevo, '$folder_id }', '$folder_id');
    const found = findings(text);
    assert.deepStrictEqual(
      found.map((f) => [f.code, f.severity, f.text]),
      [['payload-text-not-json', 'error', '{ \\"name\\": \\"$amp_cohort_name\\", \\"folderId\\": $folder_id']],
    );
    assert.match(found[0].message, /^payloadText is not JSON once its variables have values \(/);
    assert.match(found[0].message, /quoted ones for text/);
  });

  it("a bare mapping field in an item template text: a user's property value is text", () => {
    const text = mutate(
      brevo,
      '"itemTemplate": "$email_field_amplitude",\n      "copyErrorsFrom": "listCreation"\n    },\n    "removeUsers"',
      '"itemTemplateText": "{ \\"email\\": $email_field_amplitude }",\n      "copyErrorsFrom": "listCreation"\n' +
        '    },\n    "removeUsers"',
    );
    const found = findings(text);
    assert.deepStrictEqual(
      found.map((f) => [f.code, f.severity, f.text]),
      [['payload-text-not-json', 'error', '{ \\"email\\": $email_field_amplitude }']],
    );
    assert.match(found[0].message, /^itemTemplateText is not JSON/);
    assert.match(found[0].message, /it is a user's property value, text/);
  });

  it('a bare Single Select whose options are written as plain text: each option is what the variable is set to', () => {
    const select = (options: string) =>
      mutate(brevo, '"type": "string"\n    }', `"type": "singleSelect",\n      "options": ${options}\n    }`);
    // Folder ids are numbers: bare, each option goes in as JSON.
    assert.deepStrictEqual(findings(select('["2", "7"]')), []);
    const found = findings(select('["2", "Newsletters"]'));
    assert.deepStrictEqual(
      found.map((f) => [f.code, f.severity, f.text]),
      [['payload-text-not-json', 'error', '{ \\"name\\": \\"$amp_cohort_name\\", \\"folderId\\": $folder_id }']],
    );
    assert.match(found[0].message, /\$folder_id is bare, .* some of its options are text\. Quote it/);
  });
});
