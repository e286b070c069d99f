/**
 * Synthetic population for demos, load tests and the import benchmark (`dost generate`).
 *
 * Deterministic: the same seed and size give the same rows (FINs, names, dates, events) on any
 * machine. Every household draws from its own PRNG (sfc32 seeded from the seed and the household
 * number) using integer arithmetic and + - × ÷ only (no Math.random, Date.now, log or exp), and
 * FINs come from a seeded bijection of the citizen's index, so they are unique without a set.
 * Parameters are in data/registry/demography.json and names in data/registry/names-az.json.
 *
 * Rows are written with COPY in batches (memory stays bounded at any size) inside one
 * transaction. Citizen and household ids are reserved up front from their sequences, so
 * members and events reference the right ids; life_events.event_id comes from its sequence.
 *
 * life_events.data per type (all dates YYYY-MM-DD, amounts in AZN):
 * - birth:                  { district_code, sex: 'M'|'F', mother_fin: string|null, father_fin: string|null,
 *                            motherCitizenId?, fatherCitizenId? (the parents' ids, as the API records them) }
 * - death:                  { district_code }
 * - marriage:               { spouse_fin: string|null }           (null: spouse not in the registry)
 * - divorce:                { spouse_fin: string|null }
 * - disability_assessment:  { degree: 1|2|3, percent: number (31–100), assessed_by: 'MSEC', under_18: boolean, review_on: string|null }
 * - employment_start:       { employer, employer_voen, sector: 'public'|'private', wage_azn }
 * - employment_end:         { employer, employer_voen, sector, wage_azn,
 *                             reason: 'resignation'|'contract_expired'|'staff_reduction'|'liquidation'|'retirement' }
 * - insurance_record:       { months, pension_capital_azn, as_of }
 * - jobseeker_registration: { status: 'jobseeker'|'unemployed', office: 'DMA', district_code }
 * Sources: civil_registry (birth, death, marriage, divorce), MSEC, e_labour_contracts, DSMF, DMA.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Type, type Static } from 'typebox';
import type { Database, RawConnection } from '../../platform/db.ts';
import { readDataFile, RegionsFile } from '../reference/data-files.ts';
import { FIN_ALPHABET } from './identifiers.ts';
import { CITIZEN_CSV_HEADER, copyField, csvField } from './csv.ts';

// ---------------------------------------------------------------------------------------------
// Data files

const Meta = Type.Object({
  title: Type.String(),
  description: Type.String(),
  sources: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), url: Type.Optional(Type.String()) }), { minItems: 1 }),
  effective_from: Type.String(),
  notes: Type.Optional(Type.Array(Type.String())),
});
const Name = Type.String({ minLength: 1, maxLength: 100 });

export const NamesFile = Type.Object({
  meta: Meta,
  male: Type.Array(Name, { minItems: 60 }),
  female: Type.Array(Name, { minItems: 60 }),
  surnames: Type.Array(Name, { minItems: 60 }),
  streets: Type.Array(Name, { minItems: 1 }),
  employers: Type.Object({
    public: Type.Array(Type.String(), { minItems: 1 }),
    private: Type.Array(Type.String(), { minItems: 1 }),
    words: Type.Array(Type.String(), { minItems: 1 }),
  }),
});
export type Names = Static<typeof NamesFile>;

const Band = { from: Type.Integer({ minimum: 0, maximum: 99 }), to: Type.Integer({ minimum: 0, maximum: 99 }) };
const Pct = Type.Number({ minimum: 0, maximum: 100 });
export const HOUSEHOLD_TYPES = ['single_elderly', 'single_adult', 'couple_young', 'couple_older', 'nuclear', 'extended', 'single_parent'] as const;
export type HouseholdType = (typeof HOUSEHOLD_TYPES)[number];
const END_REASONS = ['resignation', 'contract_expired', 'staff_reduction', 'liquidation'] as const;

export const DemographyFile = Type.Object({
  meta: Meta,
  age_bands: Type.Array(Type.Object({ ...Band, share_pct: Pct, male_pct: Pct }), { minItems: 1 }),
  households: Type.Object({
    average_size: Type.Number(),
    types: Type.Array(Type.Object({ type: Type.Union(HOUSEHOLD_TYPES.map((t) => Type.Literal(t))), share_pct: Pct })),
    children: Type.Array(Type.Object({ count: Type.Integer({ minimum: 1 }), share_pct: Pct })),
    wife_takes_husband_surname_pct: Pct,
  }),
  disability: Type.Object({
    share_pct: Pct,
    degree_split_pct: Type.Object({ '1': Pct, '2': Pct, '3': Pct }),
    percent_ranges: Type.Object({
      '1': Type.Tuple([Type.Integer(), Type.Integer()]),
      '2': Type.Tuple([Type.Integer(), Type.Integer()]),
      '3': Type.Tuple([Type.Integer(), Type.Integer()]),
    }),
    relative_risk: Type.Array(Type.Object({ ...Band, risk: Type.Number({ minimum: 0 }) })),
  }),
  employment: Type.Object({
    rate_pct: Type.Object({ M: Pct, F: Pct }),
    age_factor: Type.Array(Type.Object({ ...Band, factor: Type.Number({ minimum: 0 }) })),
    formal_share_pct: Pct,
    public_sector_pct: Pct,
    previous_job_pct: Pct,
    past_job_of_not_employed_pct: Pct,
    jobseeker_pct: Pct,
    end_reasons: Type.Array(Type.Object({ reason: Type.Union(END_REASONS.map((r) => Type.Literal(r))), share_pct: Pct })),
  }),
  wages: Type.Object({
    average_azn: Type.Number(),
    minimum_azn: Type.Number(),
    quantiles: Type.Array(Type.Tuple([Pct, Type.Number({ minimum: 0 })]), { minItems: 2 }),
    public_factor: Type.Number(),
  }),
  insurance: Type.Object({ capital_pct_of_wage: Pct, wage_history_factor: Type.Number(), informal_years_before_2006_pct: Pct }),
  deaths: Type.Object({ years: Type.Integer({ minimum: 1 }), probability_pct: Type.Array(Type.Object({ ...Band, pct: Pct })) }),
  phones: Type.Object({
    from_age: Type.Integer(),
    with_phone_pct: Pct,
    prefixes: Type.Array(Type.Object({ prefix: Type.String({ pattern: '^\\d{2}$' }), share_pct: Pct }), { minItems: 1 }),
  }),
  /** Households with a declared income (targeted social assistance applicants), written by the benefits module. */
  income_declarations: Type.Object({ household_pct: Pct, other_income_max_azn: Type.Number({ minimum: 0 }) }),
  id_cards: Type.Object({
    adult_from_age: Type.Integer(),
    child_with_card_pct: Pct,
    child_series: Type.String({ pattern: '^[A-Z]{2}$' }),
    old_card_from_age: Type.Integer(),
    old_card_pct: Pct,
  }),
});
export type Demography = Static<typeof DemographyFile>;

/** A district as the generator needs it. */
export interface GenDistrict {
  code: string;
  name_az: string;
  population: number;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** Murmur3 finaliser: a 32-bit mix. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** sfc32: small, fast, 32-bit-only PRNG (PractRand-clean), seeded from (seed, stream). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;
  constructor(seed: number, stream: number) {
    const s = seed >>> 0;
    const hi = Math.floor(seed / 0x100000000) >>> 0;
    this.a = fmix(s ^ 0x9e3779b9);
    this.b = fmix(Math.imul(stream >>> 0, 0x85ebca6b) ^ hi ^ 0x7f4a7c15);
    this.c = fmix((Math.floor(stream / 0x100000000) >>> 0) ^ 0x1b873593 ^ this.a);
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }
  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }
  /** True with probability pct/100. */
  chance(pct: number): boolean {
    return this.float() * 100 < pct;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }
}

/** Weighted choice over a fixed list, by binary search on cumulative weights. */
class Weighted<T> {
  private readonly cum: Float64Array;
  constructor(private readonly items: readonly T[], weights: readonly number[]) {
    this.cum = new Float64Array(items.length);
    let s = 0;
    for (let i = 0; i < items.length; i++) this.cum[i] = s += weights[i]!;
  }
  pick(rng: Rng): T {
    const x = rng.float() * this.cum[this.cum.length - 1]!;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

const zipf = <T>(items: readonly T[]) => new Weighted(items, items.map((_, i) => 1 / (i + 8)));

// FIN: a Feistel permutation of [0, 2^36) with cycle walking into [0, 34^7), keyed by the seed.
const FIN_SPACE = 34 ** 7; // 52,523,350,144
const HALF = 1 << 18;

function finKeys(seed: number): number[] {
  const r = new Rng(seed, 0xf1f1f1f1);
  return [r.u32(), r.u32(), r.u32(), r.u32()];
}

function feistel(x: number, keys: readonly number[]): number {
  let l = Math.floor(x / HALF);
  let r = x % HALF;
  for (const k of keys) {
    const f = fmix(Math.imul(r, 0x9e3779b1) ^ k) & (HALF - 1);
    const nl = r;
    r = l ^ f;
    l = nl;
  }
  return l * HALF + r;
}

/** The FIN of citizen number `index` (0-based) for `seed`: unique per index. */
export function finFor(index: number, keys: readonly number[]): string {
  let x = index;
  do x = feistel(x, keys);
  while (x >= FIN_SPACE);
  let s = '';
  for (let i = 0; i < 7; i++) {
    s = FIN_ALPHABET[x % 34]! + s;
    x = Math.floor(x / 34);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Dates as day numbers since 1970-01-01

const DAY_MS = 86_400_000;
const dayOf = (iso: string): number => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
const DAY_1900 = dayOf('1900-01-01');
const isoCache: string[] = [];
function iso(day: number): string {
  const i = day - DAY_1900;
  return (isoCache[i] ??= new Date(day * DAY_MS).toISOString().slice(0, 10));
}
/** Day number `years` (fractional) before `day`. */
const yearsBefore = (day: number, years: number): number => day - Math.floor(years * 365.25);

// ---------------------------------------------------------------------------------------------
// The model

type Sex = 'M' | 'F';
type Relation = 'head' | 'spouse' | 'child' | 'parent';

interface Person {
  index: number;
  fin: string;
  sex: Sex;
  age: number;
  birthDay: number;
  first: string;
  last: string;
  patronymic: string;
  relation: Relation;
  joinedDay: number;
  deathDay: number | null;
  phone: string | null;
  idCard: string | null;
  mother: Person | null;
  father: Person | null;
  spouse: Person | null;
  marriageDay: number | null;
  divorceDay: number | null;
}

/** One event row: type, date, source and data (JSON). */
interface EventRow {
  type: string;
  day: number;
  source: string;
  data: string;
  /** A birth's parents by their index in the population: their citizen ids are added when written. */
  parents?: [number | null, number | null];
}

/** One generated household with its members and their events. */
export interface GeneratedHousehold {
  index: number;
  type: HouseholdType;
  district: GenDistrict;
  address: string;
  members: Person[];
  events: EventRow[][]; // per member
}

const json = (v: unknown) => JSON.stringify(v);
const calibrationCache = new Map<string, Float64Array>();

/** Everything derived once from the data files, the districts and the options. */
export class PopulationModel {
  readonly asOfDay: number;
  private readonly finKeys: number[];
  private readonly idOffset: number;
  private readonly ageCum: Float64Array; // cumulative per-year weights, ages 0..99
  private readonly malePct: Float64Array;
  private readonly disabilityPct: Float64Array;
  private readonly deathPct: Float64Array;
  private readonly employmentFactor: Float64Array;
  private readonly types: Weighted<HouseholdType>;
  private readonly children: Weighted<number>;
  private readonly districts: Weighted<GenDistrict>;
  private readonly male: Weighted<string>;
  private readonly female: Weighted<string>;
  private readonly surnames: Weighted<string>;
  private readonly prefixes: Weighted<string>;
  private readonly endReasons: Weighted<string>;
  private readonly degrees: Weighted<1 | 2 | 3>;

  constructor(
    readonly names: Names,
    readonly demo: Demography,
    districts: GenDistrict[],
    readonly seed: number,
    asOf: string,
  ) {
    if (districts.length === 0) throw new Error('no districts: load the reference data first');
    this.asOfDay = dayOf(asOf);
    this.finKeys = finKeys(seed);
    this.idOffset = new Rng(seed, 0x1d1d1d1d).int(0, 9_999_999);
    const perYear = new Float64Array(100);
    this.malePct = new Float64Array(100).fill(50);
    for (const b of demo.age_bands) {
      for (let a = b.from; a <= b.to; a++) {
        perYear[a] = b.share_pct / (b.to - b.from + 1);
        this.malePct[a] = b.male_pct;
      }
    }
    this.ageCum = new Float64Array(101);
    for (let a = 0; a < 100; a++) this.ageCum[a + 1] = this.ageCum[a]! + perYear[a]!;
    // Disability: relative risk by age scaled so the expected overall share is share_pct.
    const risk = new Float64Array(100);
    for (const r of demo.disability.relative_risk) for (let a = r.from; a <= r.to; a++) risk[a] = r.risk;
    let mean = 0;
    for (let a = 0; a < 100; a++) mean += risk[a]! * perYear[a]!;
    mean /= this.ageCum[100]!;
    this.disabilityPct = risk.map((r) => (mean > 0 ? (r / mean) * demo.disability.share_pct : 0));
    this.deathPct = new Float64Array(100);
    for (const d of demo.deaths.probability_pct) for (let a = d.from; a <= d.to; a++) this.deathPct[a] = d.pct;
    this.employmentFactor = new Float64Array(100);
    for (const f of demo.employment.age_factor) for (let a = f.from; a <= f.to; a++) this.employmentFactor[a] = f.factor;
    this.types = new Weighted(demo.households.types.map((t) => t.type), demo.households.types.map((t) => t.share_pct));
    this.children = new Weighted(demo.households.children.map((c) => c.count), demo.households.children.map((c) => c.share_pct));
    const sorted = [...districts].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    this.districts = new Weighted(sorted, sorted.map((d) => d.population));
    this.male = zipf(names.male);
    this.female = zipf(names.female);
    this.surnames = zipf(names.surnames);
    this.prefixes = new Weighted(demo.phones.prefixes.map((p) => p.prefix), demo.phones.prefixes.map((p) => p.share_pct));
    this.endReasons = new Weighted(demo.employment.end_reasons.map((r) => r.reason), demo.employment.end_reasons.map((r) => r.share_pct));
    const split = demo.disability.degree_split_pct;
    this.degrees = new Weighted([1, 2, 3] as const, [split['1'], split['2'], split['3']]);
    this.calibrate(perYear);
  }

  /**
   * Household roles constrain ages (a child is 18–44 years younger than its mother, ...), so
   * drawing each role's age straight from the pyramid would not reproduce the pyramid. This
   * reweights the per-year sampling weights band by band until a sample of households (from a
   * fixed calibration seed, so the result is the same for every seed and machine) matches
   * age_bands. A few rounds of proportional fitting suffice.
   */
  private calibrate(perYear: Float64Array): void {
    const bands = this.demo.age_bands;
    const target = bands.map((b) => b.share_pct);
    const targetSum = target.reduce((a, b) => a + b, 0);
    const bandOf = new Int32Array(100).fill(-1);
    bands.forEach((b, i) => {
      for (let a = b.from; a <= b.to; a++) bandOf[a] = i;
    });
    const weight = Float64Array.from(perYear);
    const key = JSON.stringify([bands, this.demo.households]);
    let cached = calibrationCache.get(key);
    if (!cached) {
      for (let round = 0; round < 6; round++) {
        const counts = new Float64Array(bands.length);
        let n = 0;
        for (let i = 0; i < 8000; i++) {
          for (const p of this.household(0x7fff0000 + i).members) {
            const b = bandOf[p.age]!;
            if (b >= 0) counts[b]! += 1;
            n++;
          }
        }
        for (let a = 0; a < 100; a++) {
          const b = bandOf[a]!;
          if (b < 0 || counts[b] === 0) continue;
          const ratio = target[b]! / targetSum / (counts[b]! / n);
          weight[a] = weight[a]! * Math.min(4, Math.max(0.25, ratio));
        }
        for (let a = 0; a < 100; a++) this.ageCum[a + 1] = this.ageCum[a]! + weight[a]!;
      }
      cached = Float64Array.from(this.ageCum);
      calibrationCache.set(key, cached);
    }
    this.ageCum.set(cached);
  }

  /** An age in [lo, hi] drawn from the age pyramid. */
  private age(rng: Rng, lo: number, hi: number): number {
    lo = Math.max(0, lo);
    hi = Math.min(99, hi);
    if (hi <= lo) return lo;
    const a = this.ageCum[lo]!;
    const b = this.ageCum[hi + 1]!;
    const x = a + rng.float() * (b - a);
    let l = lo;
    let h = hi;
    while (l < h) {
      const m = (l + h) >> 1;
      if (this.ageCum[m + 1]! > x) h = m;
      else l = m + 1;
    }
    return l;
  }

  private surname(base: string, sex: Sex): string {
    if (sex === 'M') return base;
    if (/(?:li|lı|lu|lü|zadə)$/.test(base)) return base;
    if (/(?:ov|ev|yev|in)$/.test(base)) return `${base}a`;
    return base;
  }

  private person(rng: Rng, sex: Sex, age: number, relation: Relation, last: string, fatherFirst: string): Person {
    const birthDay = yearsBefore(this.asOfDay, age) - rng.int(0, 364);
    return {
      index: -1, fin: '', sex, age, birthDay,
      first: (sex === 'M' ? this.male : this.female).pick(rng),
      last: this.surname(last, sex),
      patronymic: `${fatherFirst} ${sex === 'M' ? 'oğlu' : 'qızı'}`,
      relation, joinedDay: birthDay, deathDay: null, phone: null, idCard: null,
      mother: null, father: null, spouse: null, marriageDay: null, divorceDay: null,
    };
  }

  private childSex(rng: Rng, age: number): Sex {
    return rng.chance(this.malePct[age]!) ? 'M' : 'F';
  }

  /**
   * Ages of `count` children of a mother aged `motherAge` (she was 18–44 at each birth), drawn
   * from the pyramid; grown-up children live at home less often the older they are.
   */
  private childAges(rng: Rng, motherAge: number, count: number): number[] {
    const lo = Math.max(0, motherAge - 44);
    const hi = Math.min(motherAge - 18, 39);
    const ages: number[] = [];
    if (hi < lo) return ages;
    for (let k = 0; k < count; k++) {
      let a = lo;
      for (let tries = 0; tries < 6; tries++) {
        a = this.age(rng, lo, hi);
        const stay = a < 18 ? 100 : a < 25 ? 90 : a < 30 ? 70 : a < 35 ? 45 : 25;
        if (rng.chance(stay)) break;
      }
      ages.push(a);
    }
    return ages.sort((x, y) => y - x);
  }

  private marriage(rng: Rng, wife: Person, husband: Person, oldestChildAge: number | null): void {
    const maxYears = Math.max(0, Math.min(wife.age, husband.age) - 18);
    let years: number;
    if (oldestChildAge !== null) years = Math.min(maxYears, oldestChildAge + rng.int(1, 3));
    else years = Math.min(maxYears, rng.int(0, Math.max(0, Math.min(maxYears, wife.age - 19))));
    const day = yearsBefore(this.asOfDay, years) - rng.int(0, 364);
    wife.marriageDay = husband.marriageDay = Math.max(day, wife.birthDay + 6575, husband.birthDay + 6575);
    wife.spouse = husband;
    husband.spouse = wife;
  }

  /** Builds household number `index`: members (no indexes yet), district and address. */
  household(index: number): GeneratedHousehold {
    const rng = new Rng(this.seed, index);
    const type = this.types.pick(rng);
    const district = this.districts.pick(rng);
    const members: Person[] = [];
    const famBase = this.surnames.pick(rng);
    const gap = () => rng.int(1, 7);
    const wifeSurname = (husbandBase: string) =>
      rng.chance(this.demo.households.wife_takes_husband_surname_pct) ? husbandBase : this.surnames.pick(rng);
    const addChildren = (mother: Person, father: Person | null, fatherFirst: string, count: number) => {
      for (const a of this.childAges(rng, mother.age, count)) {
        const sex = this.childSex(rng, a);
        const c = this.person(rng, sex, a, 'child', famBase, fatherFirst);
        c.mother = mother;
        c.father = father;
        members.push(c);
      }
    };

    switch (type) {
      case 'single_elderly':
      case 'single_adult': {
        const elderly = type === 'single_elderly';
        const age = elderly ? this.age(rng, 65, 99) : this.age(rng, 20, 59);
        const sex: Sex = rng.chance(elderly ? 25 : 60) ? 'M' : 'F';
        members.push(this.person(rng, sex, age, 'head', famBase, this.male.pick(rng)));
        break;
      }
      case 'couple_young':
      case 'couple_older': {
        const young = type === 'couple_young';
        const hAge = young ? this.age(rng, 21, 38) : this.age(rng, 52, 92);
        const h = this.person(rng, 'M', hAge, 'head', famBase, this.male.pick(rng));
        const w = this.person(rng, 'F', Math.max(18, hAge - gap()), 'spouse', wifeSurname(famBase), this.male.pick(rng));
        members.push(h, w);
        this.marriage(rng, w, h, young ? null : Math.max(0, w.age - rng.int(20, 28)));
        break;
      }
      case 'nuclear':
      case 'extended': {
        const wAge = type === 'extended' ? this.age(rng, 20, 52) : this.age(rng, 21, 60);
        const hAge = Math.min(99, wAge + gap());
        let hFather = this.male.pick(rng);
        const parents: Person[] = [];
        if (type === 'extended') {
          const gfAge = Math.min(99, hAge + rng.int(23, 31));
          const gmAge = Math.max(hAge + 18, gfAge - gap());
          const r = rng.float() * 100;
          const both = r < 55;
          const gf = this.person(rng, 'M', gfAge, 'parent', famBase, this.male.pick(rng));
          const gm = this.person(rng, 'F', Math.min(99, gmAge), 'parent', wifeSurname(famBase), this.male.pick(rng));
          hFather = gf.first;
          if (both || r >= 90) parents.push(gf);
          if (both || r < 90) parents.push(gm);
          if (both) this.marriage(rng, gm, gf, hAge);
        }
        const h = this.person(rng, 'M', hAge, 'head', famBase, hFather);
        const w = this.person(rng, 'F', wAge, 'spouse', wifeSurname(famBase), this.male.pick(rng));
        for (const p of parents) if (p.sex === 'M') h.father = p; else h.mother = p;
        members.push(h, w, ...parents);
        const before = members.length;
        addChildren(w, h, h.first, this.children.pick(rng));
        const oldest = members.length > before ? members[before]!.age : null;
        this.marriage(rng, w, h, oldest);
        break;
      }
      case 'single_parent': {
        const mAge = this.age(rng, 23, 55);
        const m = this.person(rng, 'F', mAge, 'head', wifeSurname(famBase), this.male.pick(rng));
        members.push(m);
        addChildren(m, null, this.male.pick(rng), rng.int(1, 3));
        const oldest = members.length > 1 ? members[1]!.age : 0;
        const youngest = members.length > 1 ? members[members.length - 1]!.age : 0;
        m.marriageDay = Math.max(m.birthDay + 6575, yearsBefore(this.asOfDay, oldest + rng.int(1, 3)));
        m.divorceDay = Math.min(this.asOfDay - 30, yearsBefore(this.asOfDay, Math.max(0, youngest - rng.int(1, 4))) + rng.int(30, 300));
        if (m.divorceDay < m.marriageDay) m.divorceDay = m.marriageDay + 365;
        break;
      }
    }

    // Household formation: the head's marriage, or the head turning 18; members join then or at birth.
    const head = members[0]!;
    const formed = Math.min(this.asOfDay, head.marriageDay ?? head.birthDay + 6575);
    for (const p of members) p.joinedDay = Math.max(formed, p.birthDay);
    // Recent deaths among older non-heads.
    for (const p of members) {
      if (p.relation === 'head' || p.age < 60 || !rng.chance(this.deathPct[p.age]!)) continue;
      p.deathDay = Math.max(p.joinedDay, this.asOfDay - rng.int(1, this.demo.deaths.years * 365));
    }

    const streets = this.names.streets;
    const house = rng.int(1, 180);
    const address = district.code.startsWith('BAK') || rng.chance(40)
      ? `${district.name_az}, ${rng.pick(streets)} ${house}, mənzil ${rng.int(1, 120)}`
      : `${district.name_az}, ${rng.pick(streets)} ${house}`;
    return { index, type, district, address, members, events: [] };
  }

  /** Assigns citizen indexes (and FINs, phones, ID cards) from `firstIndex` on. */
  identify(h: GeneratedHousehold, firstIndex: number): void {
    const rng = new Rng(this.seed, 0x40000000 + h.index);
    const ids = this.demo.id_cards;
    h.members.forEach((p, i) => {
      p.index = firstIndex + i;
      p.fin = finFor(p.index, this.finKeys);
      const serial = (p.index * 7919 + this.idOffset) % 10_000_000;
      if (p.age >= this.demo.phones.from_age && rng.chance(this.demo.phones.with_phone_pct)) {
        p.phone = `+994${this.prefixes.pick(rng)}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
      }
      if (p.age < ids.adult_from_age) {
        if (rng.chance(ids.child_with_card_pct)) p.idCard = `${ids.child_series}${String(serial).padStart(7, '0')}`;
      } else if (p.age >= ids.old_card_from_age && rng.chance(ids.old_card_pct)) {
        p.idCard = `AZE${String((p.index * 7919 + this.idOffset) % 100_000_000).padStart(8, '0')}`;
      } else {
        p.idCard = `AA${String(serial).padStart(7, '0')}`;
      }
    });
  }

  private wage(rng: Rng, sector: 'public' | 'private'): number {
    const q = this.demo.wages.quantiles;
    const x = rng.float() * 100;
    let i = 1;
    while (i < q.length - 1 && q[i]![0] < x) i++;
    const [p0, w0] = q[i - 1]!;
    const [p1, w1] = q[i]!;
    let w = p1 > p0 ? w0 + ((x - p0) / (p1 - p0)) * (w1 - w0) : w1;
    if (sector === 'public') w *= this.demo.wages.public_factor;
    return Math.max(this.demo.wages.minimum_azn, Math.round(w));
  }

  private employer(rng: Rng, district: GenDistrict): { employer: string; employer_voen: string; sector: 'public' | 'private' } {
    const e = this.names.employers;
    const sector = rng.chance(this.demo.employment.public_sector_pct) ? 'public' : 'private';
    const name = rng
      .pick(sector === 'public' ? e.public : e.private)
      .replace('{district}', district.name_az)
      .replace('{n}', String(rng.int(1, 40)))
      .replace('{word}', rng.pick(e.words));
    let h = 0x811c9dc5;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    const voen = `${String(fmix(h) % 1_000_000_000).padStart(9, '0')}1`;
    return { employer: name, employer_voen: voen, sector };
  }

  /** Life events of every member, in date order per member. */
  events(h: GeneratedHousehold): EventRow[][] {
    const rng = new Rng(this.seed, 0x80000000 + h.index);
    const d = this.demo;
    const asOf = this.asOfDay;
    return h.members.map((p) => {
      const ev: EventRow[] = [];
      const add = (type: string, day: number, source: string, data: unknown) => {
        if (day <= asOf && (p.deathDay === null || day <= p.deathDay)) ev.push({ type, day, source, data: json(data) });
      };
      add('birth', p.birthDay, 'civil_registry', {
        district_code: h.district.code, sex: p.sex, mother_fin: p.mother?.fin || null, father_fin: p.father?.fin || null,
      });
      if (ev.length) ev[0]!.parents = [p.mother?.index ?? null, p.father?.index ?? null];
      if (p.marriageDay !== null) add('marriage', p.marriageDay, 'civil_registry', { spouse_fin: p.spouse?.fin || null });
      if (p.divorceDay !== null) add('divorce', p.divorceDay, 'civil_registry', { spouse_fin: null });

      // Disability
      if (rng.chance(this.disabilityPct[p.age]!)) {
        const degree = this.degrees.pick(rng);
        const [lo, hi] = d.disability.percent_ranges[String(degree) as '1' | '2' | '3'];
        const day = Math.max(p.birthDay + 180, asOf - rng.int(30, 6 * 365));
        const under18 = day < p.birthDay + 6575;
        add('disability_assessment', day, 'MSEC', {
          degree, percent: rng.int(lo, hi), assessed_by: 'MSEC', under_18: under18,
          review_on: degree === 1 && !under18 && rng.chance(50) ? null : iso(day + rng.int(1, 3) * 365),
        });
      }

      // Employment (formal contracts only) and the insurance record
      let months = 0;
      let lastWage = 0;
      const adultDay = p.birthDay + 18 * 365 + 4;
      const spell = (from: number, to: number | null, reason: string | null) => {
        const job = this.employer(rng, h.district);
        const wage = this.wage(rng, job.sector);
        lastWage = wage;
        add('employment_start', from, 'e_labour_contracts', { ...job, wage_azn: wage });
        if (to !== null) add('employment_end', to, 'e_labour_contracts', { ...job, wage_azn: wage, reason });
        months += Math.max(0, Math.floor(((to ?? asOf) - from) / 30.4375));
      };
      if (p.age >= 18) {
        const working = p.age < 65 && rng.chance(d.employment.rate_pct[p.sex] * this.employmentFactor[p.age]!);
        const formal = rng.chance(d.employment.formal_share_pct);
        const careerStart = Math.max(adultDay, asOf - 25 * 365);
        if (working && formal) {
          const start = careerStart + rng.int(0, Math.max(0, asOf - 30 - careerStart));
          if (rng.chance(d.employment.previous_job_pct) && start - careerStart > 400) {
            const s0 = careerStart + rng.int(0, start - careerStart - 400);
            const e0 = s0 + rng.int(180, start - s0 - 30);
            spell(s0, e0, this.endReasons.pick(rng));
          }
          spell(start, null, null);
        } else if (formal && (p.age >= 65 || rng.chance(d.employment.past_job_of_not_employed_pct))) {
          const retire = p.age >= 65;
          const end = retire
            ? Math.min(asOf - 30, p.birthDay + rng.int(60, 65) * 365)
            : asOf - rng.int(30, 3 * 365);
          const start = Math.max(adultDay, end - rng.int(1, 20) * 365);
          if (end > start + 60) spell(start, end, retire ? 'retirement' : this.endReasons.pick(rng));
        }
        if (!working && p.age < 63 && p.deathDay === null && rng.chance(d.employment.jobseeker_pct)) {
          add('jobseeker_registration', asOf - rng.int(5, 400), 'DMA', {
            status: rng.chance(60) ? 'unemployed' : 'jobseeker', office: 'DMA', district_code: h.district.code,
          });
        }
        if (months > 0) {
          // Years worked before the e-contract era (before 2006) for older people.
          const pre2006 = Math.max(0, Math.min(p.age - 18, Math.floor((dayOf('2006-01-01') - adultDay) / 365.25)));
          if (pre2006 > 0 && rng.chance(d.insurance.informal_years_before_2006_pct)) months += pre2006 * 12;
          const capital = Math.round(months * lastWage * d.insurance.wage_history_factor * (d.insurance.capital_pct_of_wage / 100));
          const asOfRecord = p.deathDay ?? asOf - ((asOf + 3) % 30) - 1;
          add('insurance_record', asOfRecord, 'DSMF', { months, pension_capital_azn: capital, as_of: iso(asOfRecord) });
        }
      }
      if (p.deathDay !== null) add('death', p.deathDay, 'civil_registry', { district_code: h.district.code });
      ev.sort((a, b) => a.day - b.day);
      return ev;
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Loading

let filesCache: Promise<{ names: Names; demo: Demography }> | undefined;
/** names-az.json and demography.json, validated, read once per process. */
export const readPopulationFiles = () =>
  (filesCache ??= Promise.all([
    readDataFile('registry/names-az.json', NamesFile),
    readDataFile('registry/demography.json', DemographyFile),
  ]).then(([names, demo]) => ({ names, demo })));

/** Districts from data/geo/regions.json (the same rows the districts table is loaded from). */
export async function districtsFromFile(): Promise<GenDistrict[]> {
  const regions = await readDataFile('geo/regions.json', RegionsFile);
  return regions.regions.flatMap((r) => r.districts.map((d) => ({ code: d.code, name_az: d.name.az, population: d.population })));
}

export interface GenerateOptions {
  citizens: number;
  seed: number;
  /** Reference date for ages and events, YYYY-MM-DD; 2026-11-01 by default. */
  asOf?: string;
  onProgress?: (p: { citizens: number; total: number }) => void;
  /** Citizens per COPY batch (10,000 by default). */
  batchSize?: number;
}

export interface GenerateResult {
  citizens: number;
  households: number;
  lifeEvents: number;
  durationMs: number;
}

/** The reference date of a generated population unless one is given. */
export const DEFAULT_AS_OF = '2026-11-01';

function checkOptions(opts: GenerateOptions): void {
  if (!Number.isSafeInteger(opts.citizens) || opts.citizens < 0) throw new RangeError('citizens must be a non-negative integer');
  if (!Number.isSafeInteger(opts.seed)) throw new RangeError('seed must be an integer');
  if (opts.citizens > 50_000_000) throw new RangeError('citizens: at most 50,000,000');
  if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new RangeError('asOf must be YYYY-MM-DD');
}

/**
 * Walks the population household by household, numbering citizens from 0 and cutting the last
 * household so exactly `total` citizens come out.
 */
function* households(model: PopulationModel, total: number, withEvents: boolean): Generator<GeneratedHousehold> {
  let next = 0;
  for (let hi = 0; next < total; hi++) {
    const h = model.household(hi);
    if (next + h.members.length > total) h.members.length = total - next;
    model.identify(h, next);
    if (withEvents) h.events = model.events(h);
    next += h.members.length;
    yield h;
  }
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

/** A birth's data with the parents' citizen ids, which are known only once the id range is reserved. */
function withParentIds(data: string, citizenBase: number, [mother, father]: [number | null, number | null]): string {
  const ids = `${mother !== null ? `,"motherCitizenId":${citizenBase + mother}` : ''}${father !== null ? `,"fatherCitizenId":${citizenBase + father}` : ''}`;
  return ids ? `${data.slice(0, -1)}${ids}}` : data;
}

const CITIZEN_COPY = 'COPY citizens (citizen_id, fin, last_name, first_name, patronymic, birth_date, sex, district_code, address, phone, id_card_number, death_date) FROM STDIN';
const HOUSEHOLD_COPY = 'COPY households (household_id, district_code, address) FROM STDIN';
const MEMBER_COPY = 'COPY household_members (citizen_id, household_id, relation, joined_on, left_on) FROM STDIN';
const EVENT_COPY = 'COPY life_events (citizen_id, type, occurred_on, recorded_at, source, data) FROM STDIN';

/** COPY text gathered straight into chunks of about 64 KiB (no per-row strings kept). */
class Chunks {
  readonly list: string[] = [];
  private cur = '';
  rows = 0;
  add(line: string): void {
    this.cur += line;
    this.rows++;
    if (this.cur.length >= 65536) {
      this.list.push(this.cur);
      this.cur = '';
    }
  }
  done(): string[] {
    if (this.cur.length > 0) this.list.push(this.cur);
    this.cur = '';
    return this.list;
  }
}

interface CopyBatch {
  citizens: Chunks;
  households: Chunks;
  members: Chunks;
  events: Chunks;
}

/**
 * Generates `citizens` people in households with their life events into the database, in one
 * transaction. Expects the reference data (districts) to be loaded. FINs are unique within one
 * seed; generating into a registry that already holds people may collide with their FINs (the
 * transaction then fails with a unique violation and nothing is written).
 */
export async function generatePopulation(database: Database, opts: GenerateOptions): Promise<GenerateResult> {
  checkOptions(opts);
  const started = performance.now();
  const total = opts.citizens;
  const batchSize = Math.max(100, opts.batchSize ?? 10_000);
  const { names, demo } = await readPopulationFiles();
  return database.withConnection(async (conn: RawConnection) => {
    const districts = (
      await conn.query<GenDistrict>('select district_code as code, name_az, population from districts order by district_code')
    ).rows.map((r) => ({ ...r, population: Number(r.population) }));
    const model = new PopulationModel(names, demo, districts, opts.seed, opts.asOf ?? DEFAULT_AS_OF);
    if (total === 0) return { citizens: 0, households: 0, lifeEvents: 0, durationMs: 0 };

    // Reserve id ranges (sequences are not transactional, so a failed run only burns numbers).
    const reserve = async (seq: string, n: number) => {
      const r = await conn.query<{ first: string | number }>(`select setval('${seq}', nextval('${seq}') + $1 - 1) - $1 + 1 as first`, [n]);
      return Number(r.rows[0]!.first);
    };
    const citizenBase = await reserve('citizen_id_seq', total);
    // At most one household per citizen; unused numbers are returned below when nobody else took more.
    const householdBase = await reserve('household_id_seq', total);

    const it = households(model, total, true);
    let citizensDone = 0;
    let householdCount = 0;
    let eventCount = 0;
    let exhausted = false;
    const recorded = (day: number) => `${iso(day)} 12:00:00+04`;

    /** Builds the next batch, yielding to the event loop now and then so COPY of the previous one proceeds. */
    const produce = async (): Promise<CopyBatch | null> => {
      if (exhausted) return null;
      const b: CopyBatch = { citizens: new Chunks(), households: new Chunks(), members: new Chunks(), events: new Chunks() };
      let sinceYield = 0;
      while (b.citizens.rows < batchSize) {
        const r = it.next();
        if (r.done) {
          exhausted = true;
          break;
        }
        const h = r.value;
        const hid = householdBase + h.index;
        b.households.add(`${hid}\t${h.district.code}\t${copyField(h.address)}\n`);
        for (let i = 0; i < h.members.length; i++) {
          const p = h.members[i]!;
          const cid = citizenBase + p.index;
          b.citizens.add(
            `${cid}\t${p.fin}\t${copyField(p.last)}\t${copyField(p.first)}\t${copyField(p.patronymic)}\t${iso(p.birthDay)}\t${p.sex}\t` +
              `${h.district.code}\t${copyField(h.address)}\t${p.phone ?? '\\N'}\t${p.idCard ?? '\\N'}\t${p.deathDay === null ? '\\N' : iso(p.deathDay)}\n`,
          );
          b.members.add(`${cid}\t${hid}\t${p.relation}\t${iso(p.joinedDay)}\t${p.deathDay === null ? '\\N' : iso(Math.max(p.deathDay, p.joinedDay))}\n`);
          for (const e of h.events[i]!) {
            const data = e.parents ? withParentIds(e.data, citizenBase, e.parents) : e.data;
            b.events.add(`${cid}\t${e.type}\t${iso(e.day)}\t${recorded(e.day)}\t${e.source}\t${copyField(data)}\n`);
          }
        }
        if (++sinceYield >= 200) {
          sinceYield = 0;
          await yieldToLoop();
        }
      }
      return b.citizens.rows > 0 ? b : null;
    };

    await conn.query('BEGIN');
    try {
      let pending = produce();
      for (;;) {
        const b = await pending;
        if (!b) break;
        pending = produce();
        await conn.copyFrom(CITIZEN_COPY, b.citizens.done());
        await conn.copyFrom(HOUSEHOLD_COPY, b.households.done());
        await conn.copyFrom(MEMBER_COPY, b.members.done());
        await conn.copyFrom(EVENT_COPY, b.events.done());
        citizensDone += b.citizens.rows;
        householdCount += b.households.rows;
        eventCount += b.events.rows;
        opts.onProgress?.({ citizens: citizensDone, total });
      }
      // Give back household numbers we did not use, if nobody reserved after us.
      await conn.query(
        `select setval('household_id_seq', $1) where (select last_value from household_id_seq) = $2`,
        [householdBase + householdCount - 1, householdBase + total - 1],
      );
      await conn.query('COMMIT');
    } catch (e) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    return { citizens: citizensDone, households: householdCount, lifeEvents: eventCount, durationMs: Math.round(performance.now() - started) };
  });
}

/**
 * Writes the same population as {@link generatePopulation} (same seed and size → same people)
 * to `out`/citizens.csv in the import format. Returns the file path and size.
 */
export async function writePopulationCsv(
  opts: GenerateOptions & { out: string; districts?: GenDistrict[] },
): Promise<{ citizens: number; path: string; bytes: number; durationMs: number }> {
  checkOptions(opts);
  const started = performance.now();
  const { names, demo } = await readPopulationFiles();
  const districts = opts.districts ?? (await districtsFromFile());
  const model = new PopulationModel(names, demo, districts, opts.seed, opts.asOf ?? DEFAULT_AS_OF);
  await mkdir(opts.out, { recursive: true });
  const file = path.join(opts.out, 'citizens.csv');
  const ws = createWriteStream(file, { encoding: 'utf8' });
  const failed = once(ws, 'error').then(([e]) => Promise.reject(e as Error));
  failed.catch(() => undefined);
  let buf = `${CITIZEN_CSV_HEADER}\n`;
  let n = 0;
  let bytes = 0;
  const flush = async () => {
    bytes += Buffer.byteLength(buf);
    if (!ws.write(buf)) await Promise.race([once(ws, 'drain'), failed]);
    buf = '';
  };
  for (const h of households(model, opts.citizens, false)) {
    const addr = csvField(h.address);
    for (const p of h.members) {
      buf += `${p.fin},${csvField(p.last)},${csvField(p.first)},${csvField(p.patronymic)},${iso(p.birthDay)},${p.sex},${h.district.code},${addr},${p.phone ?? ''},${p.idCard ?? ''}\n`;
    }
    n += h.members.length;
    if (buf.length >= 1 << 18) {
      await flush();
      opts.onProgress?.({ citizens: n, total: opts.citizens });
    }
  }
  await flush();
  ws.end();
  await Promise.race([once(ws, 'finish'), failed]);
  opts.onProgress?.({ citizens: n, total: opts.citizens });
  return { citizens: n, path: file, bytes, durationMs: Math.round(performance.now() - started) };
}
