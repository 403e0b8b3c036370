import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('raw SQL', () => {
  it('appears only in src/db modules', () => {
    const offenders = files('src')
      .filter((f) => !f.startsWith(path.join('src', 'db')) && !f.startsWith(path.join('src', 'generated')))
      .filter((f) => /\$(queryRaw|executeRaw)(Unsafe)?\b/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
