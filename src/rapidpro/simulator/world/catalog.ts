/** Fixed word lists the generator picks from; changing them changes every seed's output. */

/** A country the generator can place a workspace in. */
export interface CountryProfile {
  code: string;
  name: string;
  callingCode: string;
  timezone: string;
  /** Fixed UTC offset in hours (these zones have no daylight saving). */
  offsetHours: number;
  /** Bounding box [minLon, minLat, maxLon, maxLat]. */
  bbox: [number, number, number, number];
  languages: string[];
}

export const COUNTRIES: CountryProfile[] = [
  { code: 'RW', name: 'Rwanda', callingCode: '250', timezone: 'Africa/Kigali', offsetHours: 2, bbox: [28.86, -2.84, 30.9, -1.05], languages: ['eng', 'kin', 'fra'] },
  { code: 'UG', name: 'Uganda', callingCode: '256', timezone: 'Africa/Kampala', offsetHours: 3, bbox: [29.57, -1.48, 35.0, 4.23], languages: ['eng', 'lug'] },
  { code: 'KE', name: 'Kenya', callingCode: '254', timezone: 'Africa/Nairobi', offsetHours: 3, bbox: [33.9, -4.68, 41.86, 5.03], languages: ['eng', 'swa'] },
  { code: 'NG', name: 'Nigeria', callingCode: '234', timezone: 'Africa/Lagos', offsetHours: 1, bbox: [2.67, 4.27, 14.68, 13.89], languages: ['eng', 'hau', 'yor'] },
  { code: 'MW', name: 'Malawi', callingCode: '265', timezone: 'Africa/Blantyre', offsetHours: 2, bbox: [32.67, -17.13, 35.92, -9.37], languages: ['eng', 'nya'] },
];

export const SYLLABLES = ['ka', 'ri', 'mo', 'na', 'bu', 'ge', 'lu', 'sa', 'to', 'wa', 'ny', 'ki', 'ma', 'ru', 'zi', 'ho', 'ba', 'de'];

export const FIRST_NAMES = [
  'Aline', 'Jean', 'Grace', 'Eric', 'Diane', 'Patrick', 'Esther', 'Samuel', 'Ruth', 'Joseph', 'Agnes', 'David',
  'Mary', 'Peter', 'Alice', 'Emmanuel', 'Joyce', 'Moses', 'Sarah', 'Francis', 'Beatrice', 'Innocent', 'Claudine',
  'Olivier', 'Josephine', 'Yusuf', 'Amina', 'Kwame', 'Fatima', 'Daniel', 'Rose', 'Paul',
];

export const LAST_NAMES = [
  'Uwase', 'Mugisha', 'Niyonzima', 'Okello', 'Nakato', 'Kamau', 'Wanjiru', 'Adeyemi', 'Banda', 'Phiri', 'Mutesi',
  'Habimana', 'Ochieng', 'Achieng', 'Balogun', 'Chirwa', 'Kayitesi', 'Mwangi', 'Otieno', 'Ssempala', 'Nkurunziza',
];

export const COHORT_NAMES = ['Head Teachers', 'Grade 5 Teachers', 'Parents', 'Health Workers', 'Youth Leaders'];

export const INBOX_TEXTS = [
  'Hello, when is the next meeting?',
  'The books have not arrived yet',
  'Thank you',
  'Please call me back',
  'Our school needs more chalk',
  'STOP',
  'Who is this?',
  'The water point is broken again',
];

export const LABEL_NAMES = ['Important', 'Follow Up', 'Complaint'];

/**
 * Builds a pronounceable place name from a number.
 * @returns a capitalised name of 2-3 syllables.
 */
export function placeName(h: number): string {
  const count = 2 + (h % 2);
  let name = '';
  let x = h;
  for (let i = 0; i < count; i++) {
    name += SYLLABLES[(x >>> 3) % SYLLABLES.length];
    x = Math.imul(x ^ (x >>> 13), 0x5bd1e995) >>> 0;
  }
  return name.charAt(0).toUpperCase() + name.slice(1);
}
