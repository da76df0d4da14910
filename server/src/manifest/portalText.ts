/**
 * The portal's payload editor takes JSON with variables in it: `"userIds": $items` (bare: the value's JSON)
 * and `"name": "$amp_cohort_name"` (quoted: its text, inside the string). A manifest may hold a payload or
 * item template in that exact form (`payloadText`, `itemTemplateText`) when the JSON form cannot say it,
 * for example a quoted `"$amp_cohort_membership"` that must arrive as the string "true".
 */

export interface TextHole {
  name: string;
  /** Offsets in the text, `$` included. */
  start: number;
  end: number;
  /** Inside a JSON string: replaced by its text, escaped; bare: replaced by its JSON value. */
  quoted: boolean;
  /** Inside an object key. */
  inKey: boolean;
}

export interface PortalText {
  holes: TextHole[];
  /** Why the text is not JSON once its variables have values (undefined when it is). */
  problem?: { message: string; offset: number };
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

function nextNonSpace(text: string, from: number): string {
  for (let i = from; i < text.length; i++) if (!/\s/.test(text[i])) return text[i];
  return '';
}

/** Finds the variables of a portal text and whether each is quoted or bare, in a key or a value. */
export function scanPortalText(text: string): TextHole[] {
  const holes: TextHole[] = [];
  let inString = false;
  let stringHoles: TextHole[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString && c === '\\') {
      i++;
      continue;
    }
    if (c === '"') {
      if (inString && nextNonSpace(text, i + 1) === ':') for (const hole of stringHoles) hole.inKey = true;
      inString = !inString;
      stringHoles = [];
      continue;
    }
    if (c !== '$') continue;
    NAME.lastIndex = i + 1;
    const m = NAME.exec(text);
    if (!m) continue;
    const hole = { name: m[0], start: i, end: i + 1 + m[0].length, quoted: inString, inKey: false };
    holes.push(hole);
    if (inString) stringHoles.push(hole);
    i = hole.end - 1;
  }
  return holes;
}

/** The text with each variable given a stand-in value of its kind: bare ones `0`, quoted ones `x`. */
function withStandIns(text: string, holes: TextHole[]): string {
  let out = '';
  let from = 0;
  for (const hole of holes) {
    out += text.slice(from, hole.start) + (hole.quoted ? 'x' : '0');
    from = hole.end;
  }
  return out + text.slice(from);
}

function positionOf(message: string): number | undefined {
  const m = /position (\d+)/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** Scans a portal text and checks that it is JSON once its variables have values. */
export function readPortalText(text: string): PortalText {
  const holes = scanPortalText(text);
  try {
    JSON.parse(withStandIns(text, holes));
    return { holes };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { holes, problem: { message, offset: Math.min(positionOf(message) ?? 0, text.length) } };
  }
}

/**
 * The same template in the manifest's JSON form, for reading requests back (the mock, simulate's check):
 * a bare variable becomes a string that is exactly that variable; quoted ones stay in their strings.
 * Undefined when the text is not JSON.
 */
export function portalTextToJson(text: string): unknown {
  const holes = scanPortalText(text).filter((h) => !h.quoted);
  let out = '';
  let from = 0;
  for (const hole of holes) {
    out += `${text.slice(from, hole.start)}"$${hole.name}"`;
    from = hole.end;
  }
  try {
    return JSON.parse(out + text.slice(from)) as unknown;
  } catch {
    return undefined;
  }
}

/** An endpoint's payload in the JSON form, whichever way the manifest writes it. */
export function payloadTemplateOf(endpoint: { payload?: unknown; payloadText?: string } | undefined): unknown {
  if (endpoint?.payloadText !== undefined) return portalTextToJson(endpoint.payloadText);
  return endpoint?.payload;
}

/** An endpoint's item template in the JSON form (default: the mapped user id). */
export function itemTemplateOf(endpoint: { itemTemplate?: unknown; itemTemplateText?: string } | undefined): unknown {
  if (endpoint?.itemTemplateText !== undefined) return portalTextToJson(endpoint.itemTemplateText);
  return endpoint?.itemTemplate ?? '$user_id_field_amplitude';
}
