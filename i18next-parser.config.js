// Extracts translation keys (the English text) from views/ and src/ into locale/<lng>/translation.json.
// `npm run i18n:extract` updates the catalogues; new keys get their English text in en and '' elsewhere.
import EventEmitter from 'node:events';

/**
 * A lexer that finds calls of the given functions with a literal first argument, wherever they
 * stand (nested calls included).
 * @param names function names, as a regular expression alternation.
 */
function callLexer(names) {
  const call = new RegExp(`\\b(?:${names})\\(\\s*(["'])((?:\\\\.|(?!\\1)[^\\\\])*)\\1`, 'g');
  return class extends EventEmitter {
    extract(content) {
      return [...content.matchAll(call)].map((match) => ({ key: match[2].replace(/\\(["'\\])/g, '$1') }));
    }
  };
}

/** t("…") and msg("…") in nunjucks templates. */
const NunjucksLexer = callLexer('t|msg');
/** msg("…") in TypeScript, which the JavaScript lexer skips when nested, as in t(msg('Mean')). */
const NestedMsgLexer = callLexer('msg');

export default {
  input: ['views/**/*.njk', 'src/**/*.ts'],
  output: 'locale/$LOCALE/$NAMESPACE.json',
  locales: ['en', 'fr', 'es', 'fa', 'ps'],
  defaultNamespace: 'translation',
  keySeparator: false,
  namespaceSeparator: false,
  pluralSeparator: false,
  contextSeparator: false,
  createOldCatalogs: false,
  keepRemoved: false,
  sort: true,
  indentation: 2,
  defaultValue: (locale, _namespace, key) => (locale === 'en' ? key : ''),
  lexers: {
    njk: [NunjucksLexer],
    ts: [{ lexer: 'JavascriptLexer', functions: ['t', 'req.t', 'msg'] }, NestedMsgLexer],
    default: [{ lexer: 'JavascriptLexer', functions: ['t', 'msg'] }],
  },
};
