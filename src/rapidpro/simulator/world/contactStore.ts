import { hash, indexOfUuid, pick, Stream, unit, uuidFor } from '../random.js';
import { OrderedIndex } from '../orderedIndex.js';
import { isoWithOffset, US_PER_DAY, US_PER_HOUR } from '../time.js';
import { FIRST_NAMES, LAST_NAMES, type CountryProfile } from './catalog.js';
import type { Geography } from './geography.js';

/** Contact status codes stored in the typed array. */
export const ContactStatus = { active: 0, blocked: 1, stopped: 2, archived: 3 } as const;
export const STATUS_NAMES = ['active', 'blocked', 'stopped', 'archived'] as const;

/** Values changed through the API or the activity script; absent keys keep the generated value. */
export interface ContactOverlay {
  name?: string | null;
  language?: string | null;
  urns?: string[];
  fields?: Record<string, string | null>;
  district?: number;
}

const F = { name: 1, last: 2, nameNull: 3, lang: 4, urnKind: 5, gender: 6, age: 7, reg: 8, district: 9, facility: 10, status: 11, deleted: 12, created: 13, modified: 14, cohort: 15, panel: 16, seen: 17 };
const PHONE_SPACE = 100_000_000;
const PHONE_FACTOR = 7_919;

/**
 * Every contact of one workspace as compact typed arrays plus an overlay of mutations; names,
 * URNs and field values are regenerated from the seed and the index on demand.
 */
export class ContactStore {
  count = 0;
  created = new Float64Array(0);
  modified = new Float64Array(0);
  status = new Uint8Array(0);
  deleted = new Uint8Array(0);
  panel = new Uint8Array(0);
  cohorts = new Uint8Array(0);
  readonly overlay = new Map<number, ContactOverlay>();
  readonly urnOwners = new Map<string, number>();
  readonly index = new OrderedIndex((row) => this.modified[row]!);

  /**
   * @param seed workspace seed.
   * @param country the workspace's country (calling code, offset, languages).
   * @param geography boundary tree (panels = states).
   * @param cohortCount number of cohort groups.
   */
  constructor(
    readonly seed: number,
    readonly country: CountryProfile,
    readonly geography: Geography,
    readonly cohortCount: number,
  ) {}

  /**
   * Generates `count` contacts whose history spans [startUs, nowUs].
   * @returns nothing; fills the arrays and the sort index.
   */
  generate(count: number, startUs: number, nowUs: number): void {
    this.grow(count);
    this.count = count;
    const span = nowUs - startUs - US_PER_HOUR;
    const panels = this.geography.states.length;
    for (let i = 0; i < count; i++) {
      const h = (field: number): number => hash(this.seed, Stream.contact, i, field);
      const created = startUs + Math.floor((h(F.created) / 4294967296) * span);
      const untilNow = nowUs - created;
      const modified = created + Math.floor((h(F.modified) / 4294967296) ** 3 * untilNow);
      this.created[i] = created;
      this.modified[i] = modified;
      const s = h(F.status) % 100;
      this.status[i] = s < 94 ? ContactStatus.active : s < 97 ? ContactStatus.stopped : s < 99 ? ContactStatus.blocked : ContactStatus.archived;
      this.deleted[i] = h(F.deleted) % 100 < 2 ? 1 : 0;
      this.panel[i] = h(F.panel) % panels;
      const c = h(F.cohort);
      let bits = 0;
      const memberships = c % 3;
      for (let k = 0; k < memberships; k++) bits |= 1 << ((c >>> (4 + k * 3)) % this.cohortCount);
      this.cohorts[i] = bits;
    }
    this.index.build(count);
  }

  /** Makes room for `capacity` rows, keeping existing values. */
  grow(capacity: number): void {
    if (capacity <= this.created.length) return;
    const size = Math.max(capacity, Math.ceil(this.created.length * 1.5));
    const copy = <T extends Float64Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.created = copy(this.created, (n) => new Float64Array(n));
    this.modified = copy(this.modified, (n) => new Float64Array(n));
    this.status = copy(this.status, (n) => new Uint8Array(n));
    this.deleted = copy(this.deleted, (n) => new Uint8Array(n));
    this.panel = copy(this.panel, (n) => new Uint8Array(n));
    this.cohorts = copy(this.cohorts, (n) => new Uint8Array(n));
  }

  /** The contact's UUID. */
  uuid(i: number): string {
    return uuidFor(this.seed, Stream.contact, i);
  }

  /** Finds a contact by UUID. @returns the index or -1. */
  findByUuid(uuid: string): number {
    const i = indexOfUuid(this.seed, Stream.contact, uuid.toLowerCase());
    return i >= 0 && i < this.count && this.uuid(i) === uuid.toLowerCase() ? i : -1;
  }

  /** The contact's current name. */
  name(i: number): string | null {
    const over = this.overlay.get(i);
    if (over && over.name !== undefined) return over.name;
    if (hash(this.seed, Stream.contact, i, F.nameNull) % 100 < 2) return null;
    return `${pick(FIRST_NAMES, hash(this.seed, Stream.contact, i, F.name))} ${pick(LAST_NAMES, hash(this.seed, Stream.contact, i, F.last))}`;
  }

  /** The contact's current language. */
  language(i: number): string | null {
    const over = this.overlay.get(i);
    if (over && over.language !== undefined) return over.language;
    const h = hash(this.seed, Stream.contact, i, F.lang) % 100;
    if (h < 80) return this.country.languages[0]!;
    if (h < 95) return this.country.languages[1] ?? null;
    return null;
  }

  /** The URNs a contact was generated with. */
  baseUrns(i: number): string[] {
    const kind = hash(this.seed, Stream.contact, i, F.urnKind) % 100;
    if (kind < 1) return [];
    if (kind < 4) return [`twitter:${pick(FIRST_NAMES, hash(this.seed, Stream.contact, i, F.name)).toLowerCase()}_${i}`];
    const number = 700_000_000 + ((i * PHONE_FACTOR + (this.seed % 1000)) % PHONE_SPACE);
    return [`tel:+${this.country.callingCode}${number}`];
  }

  /** The contact's current URNs (empty when deleted). */
  urns(i: number): string[] {
    if (this.deleted[i]) return [];
    return this.overlay.get(i)?.urns ?? this.baseUrns(i);
  }

  /** Finds the live contact owning a URN. @returns the index or -1. */
  findByUrn(urn: string): number {
    const owner = this.urnOwners.get(urn);
    if (owner !== undefined) return this.urns(owner).includes(urn) ? owner : -1;
    let candidate = -1;
    const tel = /^tel:\+(\d+)$/.exec(urn);
    const twitter = /^twitter:[a-z]+_(\d+)$/.exec(urn);
    if (tel && tel[1]!.startsWith(this.country.callingCode)) {
      const number = Number(tel[1]!.slice(this.country.callingCode.length)) - 700_000_000;
      if (number >= 0 && number < PHONE_SPACE) {
        const shifted = BigInt((number - (this.seed % 1000) + PHONE_SPACE) % PHONE_SPACE);
        candidate = Number((shifted * modInverse(PHONE_FACTOR, PHONE_SPACE)) % BigInt(PHONE_SPACE));
      }
    } else if (twitter) candidate = Number(twitter[1]);
    if (candidate < 0 || candidate >= this.count || this.overlay.get(candidate)?.urns) return -1;
    return this.urns(candidate).includes(urn) ? candidate : -1;
  }

  /** The contact's district index within its panel's state. */
  district(i: number): number {
    const over = this.overlay.get(i)?.district;
    if (over !== undefined) return over;
    const districts = this.geography.districts[this.panel[i]!] ?? [];
    return hash(this.seed, Stream.contact, i, F.district) % Math.max(1, districts.length);
  }

  /** The contact's field values as strings (spec §5.5 encodings), overlay merged. */
  fields(i: number): Record<string, string | null> {
    if (this.deleted[i]) return {};
    const h = (field: number): number => hash(this.seed, Stream.contact, i, field);
    const state = this.geography.states[this.panel[i]!];
    const district = state ? this.geography.districts[this.panel[i]!]![this.district(i)] : undefined;
    const country = this.geography.country.name;
    const known = h(F.age) % 10 !== 0;
    const base: Record<string, string | null> = {
      gender: h(F.gender) % 2 === 0 ? 'Female' : 'Male',
      age: known ? String(19 + (h(F.age) % 45)) : null,
      registration_date: isoWithOffset(this.created[i]! + (h(F.reg) % US_PER_DAY), this.country.offsetHours),
      state: state ? `${country} > ${state.name}` : null,
      district: state && district ? `${country} > ${state.name} > ${district.name}` : null,
      facility_code: h(F.facility) % 5 === 0 ? null : `FC-${10000 + (h(F.facility) % 90000)}`,
    };
    const over = this.overlay.get(i)?.fields;
    return over ? { ...base, ...over } : base;
  }

  /** When the contact was last seen, or null. */
  lastSeen(i: number): number | null {
    if (this.deleted[i]) return null;
    const h = unit(this.seed, Stream.contact, i, F.seen);
    if (h < 0.2) return null;
    return this.created[i]! + Math.floor(h * (this.modified[i]! - this.created[i]!));
  }

  /** Returns (creating if needed) the overlay of a contact for mutation. */
  edit(i: number): ContactOverlay {
    let over = this.overlay.get(i);
    if (!over) {
      over = {};
      this.overlay.set(i, over);
    }
    return over;
  }

  /** Sets a contact's URNs and keeps the reverse index current. */
  setUrns(i: number, urns: string[]): void {
    this.edit(i).urns = urns;
    for (const urn of urns) this.urnOwners.set(urn, i);
  }

  /** Bumps a contact's modified_on and moves it in the sort order. */
  touch(i: number, nowUs: number): void {
    this.modified[i] = nowUs;
    this.index.touch(i);
  }
}

function modInverse(a: number, m: number): bigint {
  let [oldR, r] = [BigInt(a), BigInt(m)];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % BigInt(m)) + BigInt(m)) % BigInt(m);
}
