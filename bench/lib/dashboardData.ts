/**
 * The synthetic org of `npm run bench:pages`, as pure functions: region tree with boundaries,
 * reporter groups, contact fields, polls with numeric, categorical and open questions, and a
 * deterministic pick of who answers what, so that two passes (responses, then answers) agree.
 */

/** A region of the bench org: provinces (level 1) with districts (level 2). */
export interface BenchRegion {
  key: string;
  name: string;
  level: 1 | 2;
  parentKey: string | null;
  /** A polygon ring around the region's centre, [lon, lat] pairs, closed. */
  ring: [number, number][];
}

/**
 * Provinces in a row, each with its districts in a grid; every region gets a many-sided polygon
 * (the full geometry) so boundary JSON has a realistic size.
 * @param provinces how many provinces.
 * @param districts districts per province.
 * @returns provinces first, then districts.
 */
export function benchRegions(provinces: number, districts: number): BenchRegion[] {
  const ring = (lon: number, lat: number, radius: number, sides: number): [number, number][] => {
    const points: [number, number][] = [];
    for (let i = 0; i < sides; i++) {
      const angle = (2 * Math.PI * i) / sides;
      const wobble = 1 + 0.08 * Math.sin(angle * 7);
      points.push([round6(lon + radius * wobble * Math.cos(angle)), round6(lat + radius * wobble * Math.sin(angle))]);
    }
    return [...points, points[0]!];
  };
  const regions: BenchRegion[] = [];
  const side = Math.ceil(Math.sqrt(districts));
  for (let p = 0; p < provinces; p++) {
    const lon = 29 + p * 1.2;
    regions.push({ key: `p${p}`, name: `Province ${p + 1}`, level: 1, parentKey: null, ring: ring(lon + 0.5, -1.5, 0.55, 240) });
  }
  for (let p = 0; p < provinces; p++) {
    for (let d = 0; d < districts; d++) {
      const lon = 29 + p * 1.2 + (d % side) * (1 / side) + 0.5 / side;
      const lat = -2 + Math.floor(d / side) * (1 / side) + 0.5 / side;
      regions.push({ key: `p${p}d${d}`, name: `District ${p + 1}.${d + 1}`, level: 2, parentKey: `p${p}`, ring: ring(lon, lat, 0.45 / side, 120) });
    }
  }
  return regions;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** The reporter groups of the bench org. */
export const REPORTER_GROUPS = ['Head teachers', 'Teachers', 'Health workers', 'Parents', 'Youth', 'Community leaders'];

/** Contact fields (key, label, values) offered as filters. */
export const CONTACT_FIELDS = [
  { key: 'gender', label: 'Gender', values: ['Female', 'Male'] },
  { key: 'age_group', label: 'Age group', values: ['15-24', '25-34', '35-49', '50+'] },
  { key: 'school_type', label: 'School type', values: ['Public', 'Private', 'Community'] },
];

/** A question of a bench poll. */
export interface BenchQuestion {
  key: string;
  name: string;
  type: 'numeric' | 'multiple_choice' | 'open';
  rules: object[];
  categories: string[];
}

const NUMERIC: Omit<BenchQuestion, 'key' | 'name'> = {
  type: 'numeric',
  rules: [
    { category: '0-50', test: { type: 'between', min: '0', max: '50' } },
    { category: '51-100', test: { type: 'between', min: '51', max: '100' } },
    { category: '100+', test: { type: 'gt', test: '100' } },
  ],
  categories: ['0-50', '51-100', '100+', 'Other'],
};
const CHOICE: Omit<BenchQuestion, 'key' | 'name'> = {
  type: 'multiple_choice',
  rules: [
    { category: 'Yes', test: { type: 'has_any_word', args: ['yes y ok'] } },
    { category: 'No', test: { type: 'has_any_word', args: ['no n broken'] } },
  ],
  categories: ['Yes', 'No', 'Other'],
};
const OPEN: Omit<BenchQuestion, 'key' | 'name'> = { type: 'open', rules: [], categories: ['All Responses'] };

/** The polls of the bench org; the first one's newest poll run is answered by every contact. */
export const BENCH_POLLS: { name: string; questions: BenchQuestion[] }[] = [
  {
    name: 'Weekly School Poll',
    questions: [
      { key: 'pupils_present', name: 'How many pupils are present today?', ...NUMERIC },
      { key: 'water_working', name: 'Is the water point working?', ...CHOICE },
      { key: 'comments', name: 'Anything else to report?', ...OPEN },
    ],
  },
  {
    name: 'Health Check',
    questions: [
      { key: 'visits', name: 'How many patients came this week?', ...NUMERIC },
      { key: 'stock_ok', name: 'Are medicines in stock?', ...CHOICE },
    ],
  },
  {
    name: 'Community Feedback',
    questions: [
      { key: 'satisfied', name: 'Are you satisfied with the services?', ...CHOICE },
      { key: 'feedback', name: 'What should improve?', ...OPEN },
    ],
  },
];

const WORDS = (
  'water school teacher books latrine roof rain road clinic nurse medicine fees uniform lunch food desks chairs chalk ' +
  'exam pupils girls boys sports library electricity solar borehole pump broken repaired late absent sick malaria ' +
  'vaccine doctor bridge flood harvest market transport bicycle phone network radio meeting parents committee ' +
  'cleaning garden trees fence gate security toilet soap hygiene menstrual pads counselling reading writing maths ' +
  'science computer internet kitchen cook stove firewood drought cattle goats maize beans cassava bananas coffee tea'
).split(' ');

/**
 * A fast deterministic hash of two integers to [0, 1).
 * @param a first key.
 * @param b second key.
 * @returns a pseudo-random fraction.
 */
export function hash01(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4_294_967_296;
}

/**
 * A response status with its answered questions: complete answers all, partial the first ones,
 * empty none (8 %, unless everyone answers: the big poll run's CSV then has a row per contact).
 * @param contactId who.
 * @param runIndex which poll run.
 * @param questions questions of the poll.
 * @param everyoneAnswers no empty responses.
 * @returns the status and how many questions were answered.
 */
export function statusOf(contactId: number, runIndex: number, questions: number, everyoneAnswers = false): { status: 'E' | 'P' | 'C'; answered: number } {
  const x = hash01(contactId, runIndex * 7919 + 1);
  if (x < 0.08 && !everyoneAnswers) return { status: 'E', answered: 0 };
  if (x < 0.25 && questions > 1) return { status: 'P', answered: 1 + Math.floor(hash01(contactId, runIndex + 3) * (questions - 1)) };
  return { status: 'C', answered: questions };
}

/**
 * An answer's value and category (as the rules of the question categorise it).
 * @param question the question.
 * @param contactId who answers.
 * @param runIndex which poll run.
 * @returns the raw value and its stored category (null for open questions).
 */
export function answerOf(question: BenchQuestion, contactId: number, runIndex: number): { value: string; category: string | null } {
  const x = hash01(contactId * 31 + question.key.length, runIndex);
  if (question.type === 'numeric') {
    if (x < 0.02) return { value: 'many', category: 'Other' };
    const n = Math.floor(x * 130);
    return { value: String(n), category: n <= 50 ? '0-50' : n <= 100 ? '51-100' : '100+' };
  }
  if (question.type === 'multiple_choice') {
    if (x < 0.55) return { value: x < 0.3 ? 'yes' : 'Yes it is', category: 'Yes' };
    if (x < 0.9) return { value: x < 0.7 ? 'no' : 'No, broken', category: 'No' };
    return { value: 'not sure', category: 'Other' };
  }
  const words = 2 + Math.floor(x * 7);
  const picked: string[] = [];
  for (let i = 0; i < words; i++) picked.push(WORDS[Math.floor(hash01(contactId + i * 101, runIndex + i) * WORDS.length)]!);
  return { value: picked.join(' '), category: null };
}
