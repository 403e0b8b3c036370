import { parsePhoneNumberWithError, ParseError } from 'libphonenumber-js';
import { msg } from '../i18n/msg.js';

/** URN schemes a contact form accepts (spec §17.9.1). */
export const URN_SCHEMES = ['tel', 'twitter', 'twitterid'] as const;
export type UrnScheme = (typeof URN_SCHEMES)[number];

/** Longest address the form accepts. */
export const URN_ADDRESS_MAX = 32;

/** No phone number (country code and national number) has more digits than this (ITU E.164 allows 15; 17 covers national extensions). */
const PHONE_MAX_DIGITS = 17;

const HANDLE = /^[A-Za-z0-9_]{1,15}$/;

/** The outcome of checking a URN: the normalized URN, or a message key for the address field. */
export type UrnCheck = { urn: string; error: null } | { urn: null; error: string };

const fail = (error: string): UrnCheck => ({ urn: null, error });

/**
 * Checks a phone number typed in international form and normalizes it to E.164.
 * @param address what was typed, e.g. "+250 788 123 456".
 * @returns `tel:+250788123456`, or the reason it is refused.
 */
export function checkPhone(address: string): UrnCheck {
  const digits = address.replace(/\D/g, '');
  if (digits.length > PHONE_MAX_DIGITS) return fail(msg('This phone number is too long.'));
  if (!address.trim().startsWith('+') && /\d/.test(address)) return fail(msg('Invalid country code: start the number with + and the country code.'));
  try {
    const phone = parsePhoneNumberWithError(address.trim());
    if (!phone.isValid()) return fail(msg('This is not a valid phone number.'));
    return { urn: `tel:${phone.number}`, error: null };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    switch (error.message) {
      case 'INVALID_COUNTRY':
        return fail(msg('Invalid country code: start the number with + and the country code.'));
      case 'TOO_SHORT':
        return fail(msg('This phone number is too short.'));
      case 'TOO_LONG':
        return fail(msg('This phone number is too long.'));
      default:
        return fail(msg('This is not a phone number.'));
    }
  }
}

/**
 * Checks a Twitter handle (1–15 letters, digits or underscores; a leading @ is dropped).
 * @param address the handle.
 * @returns `twitter:<handle>` (lower case, as RapidPro stores it), or the reason it is refused.
 */
export function checkTwitterHandle(address: string): UrnCheck {
  const handle = address.trim().replace(/^@/, '');
  if (!HANDLE.test(handle)) return fail(msg('A Twitter handle has 1 to 15 letters, digits or underscores.'));
  return { urn: `twitter:${handle.toLowerCase()}`, error: null };
}

/**
 * Checks a Twitter ID written `<digits>#<handle>`.
 * @param address the id and handle.
 * @returns `twitterid:<digits>#<handle>`, or the reason it is refused.
 */
export function checkTwitterId(address: string): UrnCheck {
  const value = address.trim();
  const hash = value.indexOf('#');
  if (hash < 0) return fail(msg('Write a Twitter ID as <number>#<handle>.'));
  const [id, handle] = [value.slice(0, hash), value.slice(hash + 1)];
  if (!/^\d+$/.test(id)) return fail(msg('The part of a Twitter ID before # must be digits only.'));
  if (!HANDLE.test(handle)) return fail(msg('A Twitter handle has 1 to 15 letters, digits or underscores.'));
  return { urn: `twitterid:${id}#${handle}`, error: null };
}

/**
 * Checks and normalizes the URN of a contact form.
 * @param scheme the chosen scheme.
 * @param address the typed address.
 * @returns the URN, or a message key.
 */
export function checkUrn(scheme: string, address: string): UrnCheck {
  if (!address.trim()) return fail(msg('This field is required.'));
  if (address.length > URN_ADDRESS_MAX) return fail(msg('This is too long.'));
  switch (scheme) {
    case 'tel':
      return checkPhone(address);
    case 'twitter':
      return checkTwitterHandle(address);
    case 'twitterid':
      return checkTwitterId(address);
    default:
      return fail(msg('Choose Phone, Twitter handle or Twitter ID.'));
  }
}

/**
 * Splits a URN into scheme and path.
 * @param urn e.g. `tel:+250788123456`.
 * @returns the scheme and path (path is the whole string when there is no scheme).
 */
export function splitUrn(urn: string): { scheme: string; path: string } {
  const colon = urn.indexOf(':');
  return colon < 0 ? { scheme: '', path: urn } : { scheme: urn.slice(0, colon), path: urn.slice(colon + 1) };
}

/**
 * What identifies a URN for uniqueness: a Twitter ID is its numeric part, a handle is case-insensitive.
 * @param urn a normalized URN.
 * @returns the identity.
 */
export function urnIdentity(urn: string): string {
  const { scheme, path } = splitUrn(urn);
  if (scheme === 'twitterid') return `twitterid:${path.split('#')[0]}`;
  if (scheme === 'twitter') return `twitter:${path.toLowerCase()}`;
  return urn;
}
