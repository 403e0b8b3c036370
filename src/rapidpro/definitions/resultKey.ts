/**
 * Snake-cases a result name the way RapidPro derives result keys: trim, collapse every run of
 * characters that are not letters, digits or `_` into one `_`, lower-case.
 * @param name the result name as written in the flow editor.
 * @returns the result key, e.g. "Water Working?" → "water_working_".
 */
export function resultKey(name: string): string {
  return name
    .trim()
    .replace(/[^\p{L}\p{N}_]+/gu, '_')
    .toLowerCase();
}
