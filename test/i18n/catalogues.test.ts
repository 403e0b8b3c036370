import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogueCoverage, COMPLETE_LANGUAGES } from '../../src/i18n/coverage.js';
import { SUPPORTED_LANGUAGES } from '../../src/i18n/index.js';

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(tmpdir(), 'tracpro-i18n-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('translation catalogues', () => {
  it('hold every key used in views/ and src/, and nothing stale', async () => {
    // Extract into a copy: --fail-on-update exits 1 when a catalogue would change.
    cpSync('locale', scratch, { recursive: true });
    const output = path.join(scratch, '$LOCALE/$NAMESPACE.json');
    const result = await run('npx', ['i18next', '--config', 'i18next-parser.config.js', '--fail-on-update', '--silent', '-o', output]).then(
      () => 0,
      (error: { code: number }) => error.code,
    );
    if (result !== 0) {
      const diff = SUPPORTED_LANGUAGES.flatMap((lng) => {
        const before = Object.keys(JSON.parse(readFileSync(`locale/${lng}/translation.json`, 'utf8')) as object);
        const after = Object.keys(JSON.parse(readFileSync(path.join(scratch, lng, 'translation.json'), 'utf8')) as object);
        return [...after.filter((k) => !before.includes(k)).map((k) => `${lng} missing: ${k}`), ...before.filter((k) => !after.includes(k)).map((k) => `${lng} stale: ${k}`)];
      });
      expect(diff, 'run npm run i18n:extract').toEqual([]);
    }
    expect(result).toBe(0);
  }, 60_000);

  it('are complete in English, French and Spanish', () => {
    for (const row of catalogueCoverage().filter((r) => COMPLETE_LANGUAGES.includes(r.language))) {
      expect(row.share, `${row.language}: ${row.translated}/${row.total}`).toBe(1);
    }
  });

  it('translate navigation, sign-in and home in Persian and Pashto', () => {
    for (const row of catalogueCoverage().filter((r) => r.language === 'fa' || r.language === 'ps')) {
      expect(row.missingCore, row.language).toEqual([]);
    }
  });

  it('keep every placeholder of the English text', () => {
    const en = JSON.parse(readFileSync('locale/en/translation.json', 'utf8')) as Record<string, string>;
    for (const lng of SUPPORTED_LANGUAGES) {
      const catalogue = JSON.parse(readFileSync(`locale/${lng}/translation.json`, 'utf8')) as Record<string, string>;
      for (const key of Object.keys(en)) {
        const value = catalogue[key];
        if (!value) continue;
        const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
        expect(placeholders(value), `${lng}: ${key}`).toEqual(placeholders(key));
      }
    }
  });
});
