/**
 * Marks a string for translation where it is defined (zod messages, command errors) and
 * translated later with req.t(). It returns the key unchanged; the extractor finds it.
 * @param key the English text.
 * @returns the same text.
 */
export function msg<K extends string>(key: K): K {
  return key;
}
