import { applyEdits, modify, type Edit, type FormattingOptions, type JSONPath } from 'jsonc-parser';

/** Formatting that matches the manifest's own indentation, so fixes look hand-written. */
export function formattingOf(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
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
