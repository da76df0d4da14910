import * as assert from 'assert';
import { renderResponseHtml, type ResponseView } from '../../client/src/testEndpoint/html';
import { MASK } from '../../server/src/base/mask';

const view = (body: string): ResponseView => ({
  title: 'Test <img src=x onerror=alert(1)>',
  request: {
    endpoint: 'listCreation',
    method: 'POST',
    url: 'https://api.example.com/lists?key=tok-SECRET',
    headers: { Authorization: 'Bearer tok-SECRET' },
    body: '{"name":"</script><script>alert(1)</script>"}',
    secrets: ['tok-SECRET'],
  },
  batches: 1,
  result: {
    ok: true,
    status: 401,
    statusText: 'Unauthorized',
    headers: { 'x-echo': '<b>tok-SECRET</b>' },
    body,
    bytes: body.length,
    truncated: false,
    timing: { waitingMs: 5, downloadMs: 1, totalMs: 6 },
  },
  classification: {
    kind: 'unclassified',
    status: 401,
    failureReason: 'Unclassified',
    message: 'This cohort sync has encountered an unidentified kind of error for this integration.',
  },
});

describe('response panel HTML', () => {
  const html = renderResponseHtml(view('{"error": "<script>alert(2)</script>"}'), 'NONCE123', 'vscode-resource:');

  it('has a strict CSP with the nonce, and no remote resources', () => {
    assert.match(
      html,
      /content="default-src 'none'; img-src vscode-resource:; style-src 'nonce-NONCE123'; script-src 'nonce-NONCE123';"/,
    );
    assert.strictEqual((html.match(/<script/g) ?? []).length, 1, 'only our own script tag');
    assert.match(html, /<script nonce="NONCE123">/);
    assert.doesNotMatch(html, /https?:\/\/(?!api\.example\.com)/);
  });

  it('escapes manifest and response text', () => {
    assert.ok(html.includes('Test &lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(html.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('&lt;script&gt;alert(2)&lt;/script&gt;'));
  });

  it('never shows a secret', () => {
    assert.ok(!html.includes('tok-SECRET'));
    assert.ok(html.includes(`Bearer ${MASK}`));
  });

  it('shows status, classification and timing', () => {
    assert.match(html, /401 Unauthorized/);
    assert.match(html, /Unclassified/);
    assert.match(html, /6 ms total/);
  });

  it("shows a refused answer's reason in the Received section, its secret masked", () => {
    const refused = renderResponseHtml(view('{"error": "workspace archived", "seen": "tok-SECRET"}'), 'N', 'r:');
    const received = refused.slice(refused.indexOf('<h2>Received</h2>'));
    assert.match(received, /&quot;error&quot;: &quot;workspace archived&quot;/);
    assert.ok(!refused.includes('tok-SECRET'));
  });
});

describe('response panel HTML: what Amplitude would do next (event streaming)', () => {
  it("shows the server's verdict and each step with its times, escaped and masked", () => {
    const streaming: ResponseView = {
      ...view('{}'),
      delivery: {
        text: 'Amplitude would retry this anyway (client error (400)): then the next attempt at +28 s.',
        lines: ['Then attempts 2-10 at +28 s, +85 s <b>', 'Retry-After: tok-SECRET in the answer'],
      },
    };
    const html = renderResponseHtml(streaming, 'N', 'vscode-resource:');
    assert.match(html, /<div class="delivery"><p>Amplitude would retry this anyway \(client error \(400\)\)/);
    assert.match(html, /<li>Then attempts 2-10 at \+28 s, \+85 s &lt;b&gt;<\/li>/);
    assert.ok(!html.includes('tok-SECRET'));
    assert.ok(html.includes(`Retry-After: ${MASK} in the answer`));
  });
});
