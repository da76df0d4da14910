import { findNodeAtOffset, getNodePath, type JSONPath } from 'jsonc-parser';
import type { ManifestDocument } from '../../manifest/document';
import type { ManifestCheck, ManifestDiagnostic } from '../types';

/**
 * Bidirectional control characters (the "Trojan Source" attack, CVE-2021-42574, https://trojansource.codes/):
 * the embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069, the marks U+200E, U+200F and U+061C.
 * Each reorders how the text is shown, so a URL, a header or a payload reads one way in the editor and is sent
 * another. Found written as themselves or as a JSON `\uXXXX` escape.
 */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]|\\u(?:202[a-eA-E]|206[6-9]|200[eEfF]|061[cC])/g;

const NAMES: Record<number, string> = {
  0x061c: 'ARABIC LETTER MARK',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
};

/** Values that become the request Amplitude sends (everything else a value holds is prose for people). */
const SENT = new Set(['url', 'headers', 'payload', 'payloadText', 'request', 'method', 'bodyTemplate', 'listIdPath']);

/** A manifest says a lot; a hostile one saying this many is reported this many times, no more. */
const MAX_FINDINGS = 100;

/** Where a character is: a key, a value that is sent, or prose (a description a customer reads: left alone). */
function placeOf(doc: ManifestDocument, offset: number): string | undefined {
  const root = doc.root;
  const node = root ? findNodeAtOffset(root, offset) : undefined;
  if (!node || node.type !== 'string' || offset < node.offset || offset >= node.offset + node.length)
    return 'the manifest';
  const isKey = node.parent?.type === 'property' && node.parent.children?.[0] === node;
  if (isKey) return 'a key'; // never quoted: the key holds the character itself
  const path: JSONPath = getNodePath(node);
  const sent = path.find((segment): segment is string => typeof segment === 'string' && SENT.has(segment));
  return sent === undefined ? undefined : `the ${sent} value`;
}

/** True when the `\` at `at` starts an escape (an even number of backslashes before it). */
function escapes(text: string, at: number): boolean {
  let count = 0;
  for (let i = at - 1; i >= 0 && text[i] === '\\'; i--) count++;
  return count % 2 === 0;
}

function codePointOf(found: string): number {
  return found.length === 1 ? found.charCodeAt(0) : parseInt(found.slice(2), 16);
}

export const bidiControlCheck: ManifestCheck = {
  codes: ['bidi-control'],
  run: ({ doc }) => {
    const out: ManifestDiagnostic[] = [];
    for (const match of doc.text.matchAll(BIDI)) {
      if (out.length >= MAX_FINDINGS) break;
      const start = match.index;
      if (match[0].length > 1 && !escapes(doc.text, start)) continue;
      const place = placeOf(doc, start);
      if (place === undefined) continue;
      const point = codePointOf(match[0]);
      const hex = point.toString(16).toUpperCase().padStart(4, '0');
      out.push({
        start,
        end: start + match[0].length,
        code: 'bidi-control',
        severity: 'warning',
        message:
          `A bidirectional control character, U+${hex} ${NAMES[point]}, in ${place}: it changes how the text ` +
          'is shown, so what you read is not what is sent ("Trojan Source"). Remove it.',
      });
    }
    return out;
  },
};
