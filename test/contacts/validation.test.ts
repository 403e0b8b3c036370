import { describe, expect, it } from 'vitest';
import { fieldFormValue, parseFieldInput } from '../../src/contacts/fieldValues.js';
import { isLanguage, languageName, searchLanguages } from '../../src/contacts/languages.js';
import { checkUrn, urnIdentity } from '../../src/contacts/urn.js';
import { ContactFormSchema } from '../../src/web/routes/contacts/schema.js';

describe('URN checks (spec §24.27–28)', () => {
  it('normalizes a phone number and gives a distinct error for each way it can be wrong', () => {
    expect(checkUrn('tel', '+250788123456')).toEqual({ urn: 'tel:+250788123456', error: null });
    expect(checkUrn('tel', '+250 788 123 456').urn).toBe('tel:+250788123456');
    expect(checkUrn('tel', '0788123456').error).toMatch(/Invalid country code/);
    expect(checkUrn('tel', '+2507').error).toBe('This phone number is too short.');
    expect(checkUrn('tel', `+${'2'.repeat(25)}`.slice(0, 26)).error).toBe('This phone number is too long.');
    expect(checkUrn('tel', '2'.repeat(25)).error).toBe('This phone number is too long.');
    expect(checkUrn('tel', 'abc').error).toBe('This is not a phone number.');
  });

  it('accepts Twitter handles of 1–15 word characters only', () => {
    expect(checkUrn('twitter', 'a_b_c')).toEqual({ urn: 'twitter:a_b_c', error: null });
    expect(checkUrn('twitter', 'a-b').error).toMatch(/Twitter handle/);
    expect(checkUrn('twitter', 'a'.repeat(16)).error).toMatch(/Twitter handle/);
    expect(checkUrn('twitter', 'a'.repeat(15)).urn).toBe(`twitter:${'a'.repeat(15)}`);
  });

  it('accepts Twitter IDs written digits#handle', () => {
    expect(checkUrn('twitterid', '123#abc')).toEqual({ urn: 'twitterid:123#abc', error: null });
    expect(checkUrn('twitterid', 'abc#def').error).toMatch(/digits only/);
    expect(checkUrn('twitterid', '123abc').error).toMatch(/<number>#<handle>/);
    expect(checkUrn('twitterid', '123#a-b').error).toMatch(/Twitter handle/);
  });

  it('refuses other schemes and empty or long addresses', () => {
    expect(checkUrn('mailto', 'a@b.org').error).toMatch(/Choose Phone/);
    expect(checkUrn('tel', '  ').error).toBe('This field is required.');
    expect(checkUrn('twitter', 'x'.repeat(33)).error).toBe('This is too long.');
  });

  it('compares Twitter IDs by their number and handles without case', () => {
    expect(urnIdentity('twitterid:123#abc')).toBe(urnIdentity('twitterid:123#other'));
    expect(urnIdentity('twitter:ABC')).toBe('twitter:abc');
    expect(urnIdentity('tel:+250788123456')).toBe('tel:+250788123456');
  });
});

describe('languages', () => {
  it('knows the listed ISO 639-2 codes only and names them', () => {
    expect(isLanguage('kin')).toBe(true);
    expect(isLanguage('xyz')).toBe(false);
    expect(languageName('kin')).toBe('Kinyarwanda');
    expect(languageName('fra', 'fr')).toBe('Français');
    expect(languageName(null)).toBeNull();
    expect(searchLanguages('kin').map((l) => l.code)).toEqual(['kin']);
    expect(searchLanguages('')).toHaveLength(10);
  });
});

describe('data field inputs', () => {
  it('stores numbers as decimal text, date-times as ISO in UTC, empty as null', () => {
    expect(parseFieldInput('numeric', ' 007.50 ', 'UTC')).toEqual({ value: '7.5', error: null });
    expect(parseFieldInput('numeric', '-3', 'UTC').value).toBe('-3');
    expect(parseFieldInput('numeric', 'ten', 'UTC').error).toBe('Enter a number.');
    expect(parseFieldInput('datetime', '2024-05-01T10:00', 'Asia/Kabul').value).toBe('2024-05-01T05:30:00.000Z');
    expect(parseFieldInput('datetime', '2024-02-30T10:00', 'UTC').error).toBe('Enter a date and time.');
    expect(parseFieldInput('text', '', 'UTC')).toEqual({ value: null, error: null });
    expect(parseFieldInput('state', ' Kigali ', 'UTC').value).toBe('Kigali');
    expect(fieldFormValue('datetime', '2024-05-01T05:30:00.000Z', 'Asia/Kabul')).toBe('2024-05-01T10:00');
  });
});

describe('the contact form schema', () => {
  it('reports every wrong field at once', () => {
    const result = ContactFormSchema.safeParse({ name: '', scheme: 'tel', address: '0788123456', region: '', groups: [], language: 'xyz' });
    expect(result.success).toBe(false);
    const fields = new Set(result.error!.issues.map((i) => i.path.join('.')));
    expect(fields).toEqual(new Set(['name', 'region', 'groups', 'language']));
  });

  it('gives the normalized URN of a valid form', () => {
    const result = ContactFormSchema.parse({ name: 'Ama', scheme: 'tel', address: '+250788123456', region: '3', groups: ['1', '2'], language: 'kin' });
    expect(result).toMatchObject({ urn: 'tel:+250788123456', region: 3, groups: [1, 2] });
  });
});
