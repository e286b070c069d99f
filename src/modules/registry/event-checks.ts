/**
 * Life-event checks as data: per event type a list of named checks, each with a stable code and a
 * message in az/ru/en, run against the registry state inside the recording transaction. The same
 * checks serve the staff route (one event) and agency intake (a batch): the state is loaded
 * set-based for all events at once (`loadCheckState`), then each event is checked in memory
 * (`checkEvent`), so a batch of 1000 events costs a few queries, not 1000 round trips.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { format, type Locale, type Translated } from '../../platform/i18n.ts';
import type { Db } from '../../platform/db.ts';
import { PROJECT_ROOT } from '../../platform/paths.ts';
import type { LifeEventType } from './schema.ts';

interface Dated<T> { from: string; value: T }
interface ChecksFile {
  parameters: {
    mother_age_at_birth: { values: Dated<{ min: number; max: number }>[] };
    disability_degree_bands: { values: Dated<{ degree: 1 | 2 | 3; min: number; max: number }[]>[] };
  };
}
const FILE = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'data/registry/event-checks.json'), 'utf8')) as ChecksFile;

/** The value in force on a date (the last one starting on or before it; else the first). */
function inForce<T>(values: Dated<T>[], on: string): T {
  const sorted = [...values].sort((a, b) => a.from.localeCompare(b.from));
  return (sorted.filter((v) => v.from <= on).at(-1) ?? sorted[0]!).value;
}

/** The disability degree the law gives a percentage of function loss; null below the lowest band. */
export function degreeForPercent(percent: number, on: string): 1 | 2 | 3 | null {
  return inForce(FILE.parameters.disability_degree_bands.values, on).find((b) => percent >= b.min && percent <= b.max)?.degree ?? null;
}

/** The mother's age bounds at a birth on this date. */
export const motherAgeBounds = (on: string) => inForce(FILE.parameters.mother_age_at_birth.values, on);

/** Every check's code and message; `{...}` are filled from the failure's params. */
export const CHECK_MESSAGES = {
  FUTURE_DATE: { az: 'Hadisənin tarixi gələcəkdədir', ru: 'Дата события в будущем', en: 'The event date is in the future' },
  CITIZEN_NOT_FOUND: { az: 'Vətəndaş reyestrdə tapılmadı', ru: 'Гражданин не найден в реестре', en: 'The citizen is not in the registry' },
  INVALID_FIN: { az: 'FİN düzgün deyil', ru: 'Неверный FIN', en: 'The FIN is not valid' },
  CITIZEN_MERGED: { az: 'Bu qeyd başqa şəxsin qeydi ilə birləşdirilib (№ {survivorId}); hadisəni ona göndərin', ru: 'Эта запись объединена с записью другого лица (№ {survivorId}); отправьте событие на неё', en: 'This record was merged into person {survivorId}; send the event for that person' },
  BEFORE_BIRTH: { az: 'Hadisə şəxsin doğum tarixindən əvvəldir', ru: 'Событие раньше даты рождения лица', en: 'The event is before the person\'s birth' },
  AFTER_DEATH: { az: 'Şəxs bu tarixdə artıq vəfat etmişdi', ru: 'На эту дату лицо уже умерло', en: 'The person had died before this date' },
  ALREADY_DEAD: { az: 'Ölüm artıq qeydə alınıb', ru: 'Смерть уже зарегистрирована', en: 'A death is already recorded' },
  BIRTH_DUPLICATE: { az: 'Bu uşağın doğumu artıq qeydə alınıb', ru: 'Рождение этого ребёнка уже зарегистрировано', en: 'This child\'s birth is already recorded' },
  BIRTH_DATE_MISMATCH: { az: 'Doğum tarixi reyestrdəki doğum tarixi ({birthDate}) ilə üst-üstə düşmür', ru: 'Дата рождения не совпадает с датой в реестре ({birthDate})', en: 'The birth date differs from the registry birth date ({birthDate})' },
  MOTHER_NOT_FOUND: { az: 'Ana reyestrdə tapılmadı', ru: 'Мать не найдена в реестре', en: 'The mother is not in the registry' },
  MOTHER_IS_CHILD: { az: 'Ana uşağın özü ola bilməz', ru: 'Мать не может быть самим ребёнком', en: 'The mother cannot be the child' },
  MOTHER_NOT_FEMALE: { az: 'Ana kimi göstərilən şəxs qadın deyil', ru: 'Лицо, указанное матерью, не женщина', en: 'The person given as mother is not female' },
  MOTHER_NOT_ALIVE: { az: 'Ana doğum tarixində sağ deyildi', ru: 'Мать не была жива на дату рождения', en: 'The mother was not alive at the birth' },
  MOTHER_AGE: { az: 'Ananın doğum zamanı yaşı ({age}) {min}–{max} hüdudlarından kənardır', ru: 'Возраст матери при рождении ({age}) вне пределов {min}–{max}', en: 'The mother\'s age at the birth ({age}) is outside {min}–{max}' },
  FATHER_NOT_FOUND: { az: 'Ata reyestrdə tapılmadı', ru: 'Отец не найден в реестре', en: 'The father is not in the registry' },
  FATHER_IS_CHILD: { az: 'Ata uşağın özü ola bilməz', ru: 'Отец не может быть самим ребёнком', en: 'The father cannot be the child' },
  FATHER_NOT_MALE: { az: 'Ata kimi göstərilən şəxs kişi deyil', ru: 'Лицо, указанное отцом, не мужчина', en: 'The person given as father is not male' },
  DISABILITY_DEGREE_MISMATCH: { az: '{percent}% üçün qanuni dərəcə: {expected}', ru: 'Для {percent}% степень по закону: {expected}', en: 'For {percent}% the degree by law is: {expected}' },
} as const satisfies Record<string, Translated>;
export type CheckCode = keyof typeof CHECK_MESSAGES;

const NO_DEGREE: Translated = { az: 'dərəcə yoxdur', ru: 'без степени', en: 'none' };

/** One refused check. `conflict` marks a refusal because the fact is already recorded (HTTP 409). */
export interface CheckFailure { code: CheckCode; field: string; params: Record<string, unknown>; conflict?: boolean }

/** A check failure in the caller's language. */
export function localizeFailure(f: CheckFailure, locale: Locale) {
  const params = { ...f.params };
  if (params.expected === null) params.expected = NO_DEGREE[locale];
  return { field: f.field, code: f.code, message: format(CHECK_MESSAGES[f.code][locale], params) };
}

/** What the checks know of a person. */
export interface PersonFacts { citizen_id: number; birth_date: string; sex: 'M' | 'F'; death_date: string | null; merged_into: number | null }

/** The registry state the checks read, loaded once for a set of events. */
export interface CheckState {
  today: string;
  people: Map<number, PersonFacts>;
  /** Effective (not replaced) birth events by child. */
  births: Map<number, number[]>;
}

/** An event to check (after its schema was checked). */
export interface EventToCheck {
  citizenId: number;
  type: LifeEventType;
  kind: 'original' | 'correction' | 'cancellation';
  occurredOn: string;
  data: Record<string, unknown>;
  /** For a correction/cancellation: the event it replaces. */
  supersedesEventId?: number | null;
}

const idOf = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/** Loads the people and existing births the checks of these events need, in two queries. */
export async function loadCheckState(db: Db, today: string, events: readonly Pick<EventToCheck, 'citizenId' | 'type' | 'data'>[]): Promise<CheckState> {
  const ids = new Set<number>();
  const children = new Set<number>();
  for (const e of events) {
    ids.add(e.citizenId);
    if (e.type === 'birth') {
      children.add(e.citizenId);
      for (const k of ['motherCitizenId', 'fatherCitizenId']) { const id = idOf(e.data[k]); if (id) ids.add(id); }
    }
  }
  const [people, births] = await Promise.all([
    ids.size === 0 ? [] : db.selectFrom('citizens').select(['citizen_id', 'birth_date', 'sex', 'death_date', 'merged_into']).where('citizen_id', 'in', [...ids]).execute(),
    children.size === 0 ? [] : db.selectFrom('effective_life_events').select(['citizen_id', 'event_id']).where('type', '=', 'birth').where('citizen_id', 'in', [...children]).execute(),
  ]);
  const state: CheckState = { today, people: new Map(people.map((p) => [p.citizen_id, p])), births: new Map() };
  for (const b of births) state.births.set(b.citizen_id, [...(state.births.get(b.citizen_id) ?? []), b.event_id]);
  return state;
}

/** Whole years between two ISO dates. */
export function ageOn(birth: string, on: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

type Check = (e: EventToCheck, p: PersonFacts, s: CheckState) => CheckFailure | CheckFailure[] | undefined;

/** Checks every event runs (after the citizen was found and is not merged). */
const COMMON: Record<string, Check> = {
  notInFuture: (e, _p, s) => (e.occurredOn > s.today ? { code: 'FUTURE_DATE', field: '/occurredOn', params: {} } : undefined),
  notBeforeBirth: (e, p) => (e.type !== 'birth' && e.occurredOn < p.birth_date ? { code: 'BEFORE_BIRTH', field: '/occurredOn', params: { birthDate: p.birth_date } } : undefined),
  notAfterDeath: (e, p) => (e.type !== 'death' && e.kind === 'original' && p.death_date != null && e.occurredOn > p.death_date
    ? { code: 'AFTER_DEATH', field: '/occurredOn', params: { deathDate: p.death_date }, conflict: true } : undefined),
};

function parentChecks(e: EventToCheck, s: CheckState, role: 'mother' | 'father'): CheckFailure[] {
  const key = role === 'mother' ? 'motherCitizenId' : 'fatherCitizenId';
  const id = idOf(e.data[key]);
  if (id === undefined) return [];
  const field = `/data/${key}`;
  const M = role === 'mother' ? 'MOTHER' : 'FATHER';
  if (id === e.citizenId) return [{ code: `${M}_IS_CHILD`, field, params: {} }];
  const parent = s.people.get(id);
  if (!parent) return [{ code: `${M}_NOT_FOUND`, field, params: {} }];
  const out: CheckFailure[] = [];
  if (parent.sex !== (role === 'mother' ? 'F' : 'M')) out.push({ code: role === 'mother' ? 'MOTHER_NOT_FEMALE' : 'FATHER_NOT_MALE', field, params: {} });
  if (role === 'mother') {
    if (parent.death_date != null && parent.death_date < e.occurredOn) out.push({ code: 'MOTHER_NOT_ALIVE', field, params: {} });
    const age = ageOn(parent.birth_date, e.occurredOn);
    const { min, max } = motherAgeBounds(e.occurredOn);
    if (age < min || age > max) out.push({ code: 'MOTHER_AGE', field, params: { age, min, max } });
  }
  return out;
}

/** Per type, its named checks. */
export const EVENT_CHECKS: Partial<Record<LifeEventType, Record<string, Check>>> = {
  birth: {
    notDuplicate: (e, p, s) => {
      const others = (s.births.get(p.citizen_id) ?? []).filter((id) => id !== e.supersedesEventId);
      return e.kind === 'original' && others.length > 0 ? { code: 'BIRTH_DUPLICATE', field: '/type', params: { eventId: others[0] }, conflict: true } : undefined;
    },
    // A correction may carry a new date: the civil registry is the source of truth and the
    // correction updates citizens.birth_date (see intake); an original must match the registry.
    dateIsRegistryBirthDate: (e, p) => (e.kind === 'original' && e.occurredOn !== p.birth_date
      ? { code: 'BIRTH_DATE_MISMATCH', field: '/occurredOn', params: { birthDate: p.birth_date } } : undefined),
    mother: (e, _p, s) => parentChecks(e, s, 'mother'),
    father: (e, _p, s) => parentChecks(e, s, 'father'),
  },
  death: {
    notAlreadyDead: (e, p) => (e.kind === 'original' && p.death_date != null ? { code: 'ALREADY_DEAD', field: '/type', params: { deathDate: p.death_date }, conflict: true } : undefined),
  },
  disability_assessment: {
    degreeFollowsPercent: (e) => {
      const percent = e.data.percent;
      if (typeof percent !== 'number') return undefined; // the schema reports it
      const expected = degreeForPercent(percent, e.occurredOn);
      const given = e.data.degree ?? null;
      return given === expected ? undefined : { code: 'DISABILITY_DEGREE_MISMATCH', field: '/data/degree', params: { percent, expected } };
    },
  },
};

/**
 * Runs the checks of one event against the loaded state; an empty list means it may be recorded.
 * Cancellations carry no facts: only the citizen checks apply.
 */
export function checkEvent(e: EventToCheck, s: CheckState): CheckFailure[] {
  const p = s.people.get(e.citizenId);
  if (!p) return [{ code: 'CITIZEN_NOT_FOUND', field: '/citizenId', params: {} }];
  if (p.merged_into != null) return [{ code: 'CITIZEN_MERGED', field: '/citizenId', params: { survivorId: p.merged_into } }];
  if (e.kind === 'cancellation') return [];
  const out: CheckFailure[] = [];
  for (const check of [...Object.values(COMMON), ...Object.values(EVENT_CHECKS[e.type] ?? {})]) {
    const r = check(e, p, s);
    if (r) out.push(...(Array.isArray(r) ? r : [r]));
  }
  return out;
}
