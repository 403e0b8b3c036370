// Extracts translation keys (the English text) from views/ and src/ into locale/<lng>/translation.json.
// `npm run i18n:extract` updates the catalogues; new keys get their English text in en and '' elsewhere.
import EventEmitter from 'node:events';

/** Finds t("…") and msg("…") calls with a literal first argument in nunjucks templates. */
class NunjucksLexer extends EventEmitter {
  extract(content) {
    const keys = [];
    const call = /\b(?:t|msg)\(\s*(["'])((?:\\.|(?!\1)[^\\])*)\1/g;
    for (const match of content.matchAll(call)) keys.push({ key: match[2].replace(/\\(["'\\])/g, '$1') });
    return keys;
  }
}

/**
 * Finds msg("…") calls wherever they stand: the JavaScript lexer skips a call nested in another,
 * such as t(msg('Mean')) in chart tables.
 */
class NestedMsgLexer extends EventEmitter {
  extract(content) {
    const call = /\bmsg\(\s*(["'])((?:\\.|(?!\1)[^\\])*)\1/g;
    return [...content.matchAll(call)].map((match) => ({ key: match[2].replace(/\\(["'\\])/g, '$1') }));
  }
}

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
