// Prints the share of the catalogue translated per language (`npm run i18n:report`).
import { catalogueCoverage } from '../src/i18n/coverage.js';

for (const row of catalogueCoverage()) {
  const percent = (row.share * 100).toFixed(1).padStart(5);
  const core = row.missingCore.length ? `  missing core: ${row.missingCore.join(', ')}` : '';
  console.log(`${row.language}  ${percent} %  ${row.translated}/${row.total}${core}`);
}
