import { applyEdits, modify, type Edit, type FormattingOptions, type JSONPath } from 'jsonc-parser';

/** Formatting that matches the manifest's own indentation, so fixes look hand-written. */
export function formattingOf(text: string): FormattingOptions {
  const own = ownIndentation(text);
  return {
    insertSpaces: own?.insertSpaces ?? true,
    tabSize: own?.tabSize ?? 2,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/**
 * The indentation a text consistently uses: every step in is one unit (tabs, or the smallest space run),
 * every indent a multiple of it. Undefined when it has none or is inconsistent (pasted text).
 */
export function ownIndentation(text: string): { tabSize: number; insertSpaces: boolean } | undefined {
  const indents = [...text.matchAll(/^([ \t]*)\S/gm)].slice(0, 2000).map((m) => m[1]);
  if (indents.some((i) => i.includes('\t'))) {
    return indents.every((i) => /^\t*$/.test(i)) ? { tabSize: 1, insertSpaces: false } : undefined;
  }
  const widths = indents.map((i) => i.length);
  const unit = Math.min(...widths.filter((w) => w > 0));
  if (!Number.isFinite(unit) || unit > 8) return undefined;
  const steady = widths.every((w, i) => w % unit === 0 && (i === 0 || w - widths[i - 1] <= unit));
  return steady ? { tabSize: unit, insertSpaces: true } : undefined;
}

/** Removes the value at `path` (an array element or a property), commas and all. */
export function removeAt(text: string, path: JSONPath): Edit[] {
  return modify(text, path, undefined, { formattingOptions: formattingOf(text) });
}

export function setAt(text: string, path: JSONPath, value: unknown): Edit[] {
  return modify(text, path, value, { formattingOptions: formattingOf(text) });
}

/** Appends to the array at `arrayPath`, creating it when it is missing. */
export function appendTo(
  text: string,
  arrayPath: JSONPath,
  currentLength: number | undefined,
  values: unknown[],
): Edit[] {
  if (currentLength === undefined) return setAt(text, arrayPath, values);
  // One modify per value: each later insert must see the text the earlier one produced.
  let current = text;
  values.forEach((value, i) => {
    current = applyEdits(
      current,
      modify(current, [...arrayPath, currentLength + i], value, {
        formattingOptions: formattingOf(text),
        isArrayInsertion: true,
      }),
    );
  });
  return minimalEdit(text, current);
}

/** One edit covering only what differs between `before` and `after`. */
export function minimalEdit(before: string, after: string): Edit[] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return before === after ? [] : [{ offset: start, length: endBefore - start, content: after.slice(start, endAfter) }];
}

export function replaceSpan(start: number, end: number, content: string): Edit {
  return { offset: start, length: end - start, content };
}
