import { scanPortalText } from '../manifest/portalText';
import { isObject } from '../base/value';
import { dollarRole, scanVariablesIn } from '../manifest/variables';

/**
 * A payload, item template, URL or header compiled once into text with holes, so each request only
 * fills the holes. Where a `$name` becomes a hole, and how it is filled, follows the manifest's payload
 * rule and `dollarRole` (manifest/variables.ts): the same rule validation reports on.
 */

/**
 * `json`: the variable's JSON value (a string that is exactly one variable); `text`: its text, inside a string;
 * `raw`: a bare variable in the portal editor's text, replaced by its text as it is (a custom field typed as
 * 2 becomes the number 2; the batch of items its JSON), as the portal substitutes.
 */
export interface Hole {
  readonly name: string;
  readonly mode: 'json' | 'text' | 'raw';
  /** An unknown name where a value is expected: validation reports it, and nothing can be sent. */
  readonly undeclared: boolean;
}

export type Piece = string | Hole;

/** JSON text that is spliced in as it is (a batch of items rendered once). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type HoleValue = unknown;

const jsonEscape = (text: string): string => JSON.stringify(text).slice(1, -1);

/** How a value reads as text: strings as they are, anything else as JSON (true, 42, [..]). */
export function textOf(value: HoleValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof RawJson) return value.text;
  return JSON.stringify(value) ?? '';
}

class PieceWriter {
  readonly pieces: Piece[] = [];

  text(text: string): void {
    const last = this.pieces.length - 1;
    if (last >= 0 && typeof this.pieces[last] === 'string') this.pieces[last] = this.pieces[last] + text;
    else if (text !== '') this.pieces.push(text);
  }

  hole(hole: Hole): void {
    this.pieces.push(hole);
  }
}

/** The pieces of a plain text (URL, header, or a JSON string's content): `escape` applies to the literal parts. */
function writeText(
  out: PieceWriter,
  text: string,
  declared: ReadonlySet<string>,
  inKey: boolean,
  escape: (s: string) => string,
): void {
  let from = 0;
  scanVariablesIn(text, 0, text.length, (name, start) => {
    const role = dollarRole(name, inKey, declared);
    if (role === 'literal') return;
    out.text(escape(text.slice(from, start)));
    out.hole({ name, mode: 'text', undeclared: role === 'undeclared' });
    from = start + 1 + name.length;
  });
  out.text(escape(text.slice(from)));
}

function writeJson(out: PieceWriter, value: unknown, declared: ReadonlySet<string>): void {
  if (typeof value === 'string') {
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
    if (whole) {
      out.hole({ name: whole[1], mode: 'json', undeclared: dollarRole(whole[1], false, declared) === 'undeclared' });
      return;
    }
    out.text('"');
    writeText(out, value, declared, false, jsonEscape);
    out.text('"');
  } else if (Array.isArray(value)) {
    out.text('[');
    value.forEach((element, i) => {
      if (i > 0) out.text(',');
      writeJson(out, element, declared);
    });
    out.text(']');
  } else if (isObject(value)) {
    out.text('{');
    Object.keys(value).forEach((key, i) => {
      out.text(i > 0 ? ',"' : '"');
      writeText(out, key, declared, true, jsonEscape);
      out.text('":');
      writeJson(out, value[key], declared);
    });
    out.text('}');
  } else {
    out.text(JSON.stringify(value) ?? 'null');
  }
}

/** A payload or item template (JSON, as the manifest holds it) as JSON text with holes. */
export function compileJson(value: unknown, declared: ReadonlySet<string>): Piece[] {
  const out = new PieceWriter();
  writeJson(out, value, declared);
  return out.pieces;
}

/** A payload or item template in the portal editor's text: bare variables are JSON holes, quoted ones text holes. */
export function compilePortalText(text: string, declared: ReadonlySet<string>): Piece[] {
  const out = new PieceWriter();
  let from = 0;
  for (const hole of scanPortalText(text)) {
    const role = dollarRole(hole.name, hole.inKey, declared);
    if (role === 'literal') continue;
    out.text(text.slice(from, hole.start));
    out.hole({ name: hole.name, mode: hole.quoted ? 'text' : 'raw', undeclared: role === 'undeclared' });
    from = hole.end;
  }
  out.text(text.slice(from));
  return out.pieces;
}

/** A URL or header value as text with holes (`$name` in keys' sense is never literal here). */
export function compileText(text: string, declared: ReadonlySet<string>): Piece[] {
  const out = new PieceWriter();
  writeText(out, text, declared, false, (s) => s);
  return out.pieces;
}

export function holesOf(pieces: readonly Piece[]): Hole[] {
  return pieces.filter((p): p is Hole => typeof p !== 'string');
}

/**
 * Fills the holes. `resolve` gives a hole's value (undefined: none, which the builder has already
 * refused); `encode` applies to text holes (URL encoding in URLs; JSON escaping in JSON).
 */
export function fill(
  pieces: readonly Piece[],
  resolve: (hole: Hole) => HoleValue,
  encode: (s: string) => string,
): string {
  let out = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      out += piece;
      continue;
    }
    const value = resolve(piece);
    if (piece.mode === 'text') out += encode(textOf(value));
    else if (piece.mode === 'raw') out += textOf(value);
    else out += value instanceof RawJson ? value.text : (JSON.stringify(value) ?? 'null');
  }
  return out;
}

export const encodeJsonText = jsonEscape;
