/**
 * Households: who lives together with a common household (the family of targeted social
 * assistance), its members over time and its declared income. Every change runs in one
 * transaction, is audited and publishes 'registry.household.changed'.
 */
import { Type, type Static } from 'typebox';
import { recordAudit } from '../../platform/audit.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { bakuDate } from '../../platform/calendar.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, notFound, validationError, type ErrorDetail } from '../../platform/errors.ts';
import { publishEvent } from '../../platform/events.ts';
import type { Locale } from '../../platform/i18n.ts';
import { readDataFile } from '../reference/data-files.ts';
import { isIsoDate } from './identifiers.ts';
import * as repo from './households-repository.ts';
import { findCitizenById } from './repository.ts';

const L = Type.Object({ az: Type.String({ minLength: 1 }), ru: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) });
const Meta = Type.Object({ title: Type.String(), description: Type.String(), sources: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), url: Type.Optional(Type.String()) }), { minItems: 1 }), effective_from: Type.String({ format: 'date' }), notes: Type.Optional(Type.Array(Type.String())) });
const Coded = Type.Object({ code: Type.String({ pattern: '^[a-z_]{2,40}$' }), name: L, unconfirmed: Type.Optional(Type.Boolean()) });
export const HouseholdRelationsFile = Type.Object({ meta: Meta, relations: Type.Array(Coded, { minItems: 1 }) });
export const HouseholdIncomeSourcesFile = Type.Object({ meta: Meta, sources: Type.Array(Coded, { minItems: 1 }) });
export type CodedName = Static<typeof Coded>;

let codes: Promise<{ relations: CodedName[]; sources: CodedName[] }> | undefined;
/** Relations and income sources from data/registry (read once). */
export function householdCodes() {
  codes ??= Promise.all([
    readDataFile('registry/household-relations.json', HouseholdRelationsFile),
    readDataFile('registry/household-income-sources.json', HouseholdIncomeSourcesFile),
  ]).then(([r, s]) => ({ relations: r.relations, sources: s.sources }));
  return codes;
}

/** Field messages of household validation, in each language. */
const MESSAGES = {
  unknown_citizen: { az: 'Belə vətəndaş reyestrdə yoxdur', ru: 'Такого гражданина нет в реестре', en: 'There is no such citizen in the registry' },
  deceased: { az: 'Vətəndaş vəfat etmiş kimi qeydə alınıb', ru: 'Гражданин зарегистрирован как умерший', en: 'The citizen is recorded as deceased' },
  future_date: { az: 'Tarix gələcəkdə ola bilməz', ru: 'Дата не может быть в будущем', en: 'The date cannot be in the future' },
  before_birth: { az: 'Tarix doğum tarixindən əvvəl ola bilməz', ru: 'Дата не может быть раньше даты рождения', en: 'The date cannot be before the date of birth' },
  before_joined: { az: 'Tarix ailəyə daxil olma tarixindən əvvəl ola bilməz', ru: 'Дата не может быть раньше даты вступления в семью', en: 'The date cannot be before the date the person joined' },
  invalid_date: { az: 'Tarixi İİİİ-AA-GG formatında daxil edin', ru: 'Введите дату в формате ГГГГ-ММ-ДД', en: 'Enter the date as YYYY-MM-DD' },
  period_order: { az: 'Dövrün sonu əvvəlindən tez ola bilməz', ru: 'Конец периода не может быть раньше начала', en: 'The end of the period cannot be before its start' },
  negative_income: { az: 'Gəlir mənfi ola bilməz', ru: 'Доход не может быть отрицательным', en: 'Income cannot be negative' },
  unknown_relation: { az: 'Belə qohumluq əlaqəsi yoxdur', ru: 'Такой степени родства нет', en: 'There is no such relation' },
  head_relation: { az: 'Ailə başçısı yalnız başçının dəyişdirilməsi ilə təyin edilir', ru: 'Глава семьи назначается только сменой главы', en: 'The head is named only by changing the head' },
  unknown_source: { az: 'Belə gəlir mənbəyi yoxdur', ru: 'Такого источника дохода нет', en: 'There is no such income source' },
  unknown_district: { az: 'Belə rayon yoxdur', ru: 'Такого района нет', en: 'There is no such district' },
  already_member: { az: 'Vətəndaş artıq bu ailənin üzvüdür', ru: 'Гражданин уже состоит в этой семье', en: 'The citizen is already a member of this household' },
  not_member: { az: 'Vətəndaş bu ailənin hazırkı üzvü deyil', ru: 'Гражданин не является текущим членом этой семьи', en: 'The citizen is not a current member of this household' },
  head_must_stay: { az: 'Başqa üzvlər qaldıqca ailə başçısı ayrıla bilməz; yeni başçını göstərin', ru: 'Глава семьи не может выйти, пока остаются другие члены; укажите нового главу', en: 'The head cannot leave while others remain; name a new head' },
} as const satisfies Record<string, Record<Locale, string>>;
type MessageKey = keyof typeof MESSAGES;

const detail = (field: string, code: MessageKey, locale: Locale): ErrorDetail => ({ field, code, message: MESSAGES[code][locale] });

export const HOUSEHOLD_ROLES = ['officer', 'admin'] as const;

export interface HouseholdView {
  id: number; districtCode: string; address: string | null; createdAt: string;
  members: { citizenId: number; fin: string; lastName: string; firstName: string; patronymic: string | null; birthDate: string; deathDate: string | null;
    relation: string; relationName: string; joinedOn: string; leftOn: string | null; current: boolean }[];
  declarations: { id: number; monthlyIncomeAzn: number; periodFrom: string | null; periodTo: string | null; source: string; sourceName: string; declaredOn: string; createdAt: string }[];
}

const today = (ctx: AppContext) => bakuDate(ctx.now());

function checkDate(errors: ErrorDetail[], field: string, value: string | undefined, ctx: AppContext, locale: Locale): value is string {
  if (value === undefined) return false;
  if (!isIsoDate(value)) { errors.push(detail(field, 'invalid_date', locale)); return false; }
  if (value > today(ctx)) { errors.push(detail(field, 'future_date', locale)); return false; }
  return true;
}

/** A living citizen who may join on `on`: adds field errors otherwise. */
async function checkCitizen(db: Db, errors: ErrorDetail[], field: string, citizenId: number, on: string | null, dateField: string, locale: Locale) {
  const c = await findCitizenById(db, citizenId);
  if (!c) { errors.push(detail(field, 'unknown_citizen', locale)); return undefined; }
  if (c.death_date) { errors.push(detail(field, 'deceased', locale)); return c; }
  if (on !== null && on < c.birth_date) errors.push(detail(dateField, 'before_birth', locale));
  return c;
}

async function checkRelation(errors: ErrorDetail[], field: string, relation: string, locale: Locale) {
  const { relations } = await householdCodes();
  if (!relations.some((r) => r.code === relation)) errors.push(detail(field, 'unknown_relation', locale));
  else if (relation === 'head') errors.push(detail(field, 'head_relation', locale));
}

function fail(errors: ErrorDetail[]): void {
  if (errors.length > 0) throw validationError(errors);
}

async function changed(trx: Db, actor: Actor, householdId: number, citizenIds: number[], change: 'created' | 'member_joined' | 'member_left' | 'income_declared', action: string, purpose: string) {
  await publishEvent(trx, 'registry.household.changed', { householdId, citizenIds, change });
  await recordAudit(trx, actor, { action, citizenIds, resource: `households/${householdId}`, purpose });
}

/**
 * Moves a citizen out of their open household (if any, and not `intoHouseholdId`) on `on`.
 * A head who would leave others behind is refused; the old household's change is published.
 */
async function leaveOpenHousehold(trx: Db, actor: Actor, citizenId: number, on: string, intoHouseholdId: number | null, field: string, dateField: string, locale: Locale) {
  const open = await repo.openMembershipOf(trx, citizenId);
  if (!open) return;
  if (open.household_id === intoHouseholdId) throw validationError([detail(field, 'already_member', locale)]);
  await repo.lockHousehold(trx, open.household_id);
  if (on < open.joined_on) throw validationError([detail(dateField, 'before_joined', locale)]);
  if (open.relation === 'head') {
    const others = (await repo.openMembers(trx, open.household_id)).filter((m) => m.citizen_id !== citizenId);
    if (others.length > 0) throw new AppError('HOUSEHOLD_HEAD_MUST_STAY', { householdId: open.household_id }, [detail(field, 'head_must_stay', locale)]);
  }
  await repo.endMembership(trx, citizenId, open.household_id, on);
  await changed(trx, actor, open.household_id, [citizenId], 'member_left', 'household.member.end', 'moved to another household');
}

export interface CreateHouseholdInput { districtCode: string; address: string; headCitizenId: number; from?: string }

export async function createHousehold(ctx: AppContext, actor: Actor, input: CreateHouseholdInput): Promise<HouseholdView> {
  const locale = actor.locale;
  const from = input.from ?? today(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const errors: ErrorDetail[] = [];
    const dateOk = input.from === undefined || checkDate(errors, '/from', input.from, ctx, locale);
    if (!(await repo.districtExists(trx, input.districtCode))) errors.push(detail('/districtCode', 'unknown_district', locale));
    await checkCitizen(trx, errors, '/headCitizenId', input.headCitizenId, dateOk ? from : null, '/from', locale);
    fail(errors);
    const h = await repo.insertHousehold(trx, input.districtCode, input.address);
    await leaveOpenHousehold(trx, actor, input.headCitizenId, from, h.household_id, '/headCitizenId', '/from', locale);
    await repo.insertMember(trx, { citizenId: input.headCitizenId, householdId: h.household_id, relation: 'head', joinedOn: from });
    await changed(trx, actor, h.household_id, [input.headCitizenId], 'created', 'household.create', 'register household');
    return view(trx, h.household_id, locale);
  });
}

export interface AddMemberInput { citizenId: number; relation: string; from: string }

/** Adds a member; one in another open household is moved (that membership ends the same day). */
export async function addMember(ctx: AppContext, actor: Actor, householdId: number, input: AddMemberInput): Promise<HouseholdView> {
  const locale = actor.locale;
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.lockHousehold(trx, householdId))) throw notFound(`household ${householdId}`);
    const errors: ErrorDetail[] = [];
    const dateOk = checkDate(errors, '/from', input.from, ctx, locale);
    await checkRelation(errors, '/relation', input.relation, locale);
    await checkCitizen(trx, errors, '/citizenId', input.citizenId, dateOk ? input.from : null, '/from', locale);
    fail(errors);
    await leaveOpenHousehold(trx, actor, input.citizenId, input.from, householdId, '/citizenId', '/from', locale);
    await repo.insertMember(trx, { citizenId: input.citizenId, householdId, relation: input.relation, joinedOn: input.from });
    await changed(trx, actor, householdId, [input.citizenId], 'member_joined', 'household.member.add', `add member as ${input.relation}`);
    return view(trx, householdId, locale);
  });
}

export interface EndMemberInput { on: string; newHeadCitizenId?: number }

/** Ends a membership on `on`; the head may leave others behind only when a new head is named. */
export async function endMember(ctx: AppContext, actor: Actor, householdId: number, citizenId: number, input: EndMemberInput): Promise<HouseholdView> {
  const locale = actor.locale;
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.lockHousehold(trx, householdId))) throw notFound(`household ${householdId}`);
    const errors: ErrorDetail[] = [];
    const dateOk = checkDate(errors, '/on', input.on, ctx, locale);
    const members = await repo.openMembers(trx, householdId);
    const m = members.find((x) => x.citizen_id === citizenId);
    if (!m) errors.push(detail('/citizenId', 'not_member', locale));
    else if (dateOk && input.on < m.joined_on) errors.push(detail('/on', 'before_joined', locale));
    fail(errors);
    const others = members.filter((x) => x.citizen_id !== citizenId);
    const touched = [citizenId];
    if (m!.relation === 'head' && others.length > 0) {
      if (input.newHeadCitizenId === undefined) throw new AppError('HOUSEHOLD_HEAD_MUST_STAY', { householdId }, [detail('/newHeadCitizenId', 'head_must_stay', locale)]);
      const next = others.find((x) => x.citizen_id === input.newHeadCitizenId);
      if (!next) throw validationError([detail('/newHeadCitizenId', 'not_member', locale)]);
      if (input.on < next.joined_on) throw validationError([detail('/on', 'before_joined', locale)]);
      await repo.endMembership(trx, citizenId, householdId, input.on);
      await makeHead(trx, next, input.on);
      touched.push(next.citizen_id);
    } else {
      await repo.endMembership(trx, citizenId, householdId, input.on);
    }
    await changed(trx, actor, householdId, touched, 'member_left', 'household.member.end', 'end membership');
    return view(trx, householdId, locale);
  });
}

/** Makes an open member the head from `on`: a new membership row keeps the old relation in history. */
async function makeHead(trx: Db, m: { citizen_id: number; household_id: number; joined_on: string }, on: string) {
  await reRelate(trx, m.citizen_id, m.household_id, m.joined_on, 'head', on);
}

async function reRelate(trx: Db, citizenId: number, householdId: number, joinedOn: string, relation: string, on: string) {
  if (joinedOn === on) return repo.setOpenRelation(trx, citizenId, householdId, relation);
  await repo.endMembership(trx, citizenId, householdId, on);
  await repo.insertMember(trx, { citizenId, householdId, relation, joinedOn: on });
}

export interface ChangeHeadInput { citizenId: number; on: string; formerHeadRelation: string }

/** Names another current member head from `on`; the former head stays with the given relation. */
export async function changeHead(ctx: AppContext, actor: Actor, householdId: number, input: ChangeHeadInput): Promise<HouseholdView> {
  const locale = actor.locale;
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.lockHousehold(trx, householdId))) throw notFound(`household ${householdId}`);
    const errors: ErrorDetail[] = [];
    const dateOk = checkDate(errors, '/on', input.on, ctx, locale);
    await checkRelation(errors, '/formerHeadRelation', input.formerHeadRelation, locale);
    const members = await repo.openMembers(trx, householdId);
    const next = members.find((x) => x.citizen_id === input.citizenId);
    const head = members.find((x) => x.relation === 'head');
    if (!next || next.relation === 'head') errors.push(detail('/citizenId', 'not_member', locale));
    else if (dateOk && (input.on < next.joined_on || (head && input.on < head.joined_on))) errors.push(detail('/on', 'before_joined', locale));
    fail(errors);
    // The former head first, so that two open heads never exist at once.
    if (head) await reRelate(trx, head.citizen_id, householdId, head.joined_on, input.formerHeadRelation, input.on);
    await reRelate(trx, next!.citizen_id, householdId, next!.joined_on, 'head', input.on);
    const ids = [input.citizenId, ...(head ? [head.citizen_id] : [])];
    await changed(trx, actor, householdId, ids, 'member_joined', 'household.head.change', 'change head of household');
    return view(trx, householdId, locale);
  });
}

export interface DeclareIncomeInput { monthlyIncomeAzn: number; periodFrom: string; periodTo: string; source: string; declaredOn: string }

/** Checks an income declaration; returns its field errors (also used by the TSA approval effect). */
export async function incomeErrors(ctx: AppContext, input: DeclareIncomeInput, locale: Locale): Promise<ErrorDetail[]> {
  const errors: ErrorDetail[] = [];
  if (!Number.isFinite(input.monthlyIncomeAzn) || input.monthlyIncomeAzn < 0) errors.push(detail('/monthlyIncomeAzn', 'negative_income', locale));
  const a = checkDate(errors, '/periodFrom', input.periodFrom, ctx, locale);
  const b = checkDate(errors, '/periodTo', input.periodTo, ctx, locale);
  if (a && b && input.periodTo < input.periodFrom) errors.push(detail('/periodTo', 'period_order', locale));
  checkDate(errors, '/declaredOn', input.declaredOn, ctx, locale);
  const { sources } = await householdCodes();
  if (!sources.some((s) => s.code === input.source)) errors.push(detail('/source', 'unknown_source', locale));
  return errors;
}

/** Records a declaration inside a caller's transaction (published and audited). */
export async function recordIncomeDeclaration(trx: Db, actor: Actor, householdId: number, input: DeclareIncomeInput, purpose: string) {
  const row = await repo.insertDeclaration(trx, { householdId, ...input });
  const ids = (await repo.openMembers(trx, householdId)).map((m) => m.citizen_id);
  await changed(trx, actor, householdId, ids, 'income_declared', 'household.income.declare', purpose);
  return row;
}

export async function declareIncome(ctx: AppContext, actor: Actor, householdId: number, input: DeclareIncomeInput): Promise<HouseholdView> {
  fail(await incomeErrors(ctx, input, actor.locale));
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.lockHousehold(trx, householdId))) throw notFound(`household ${householdId}`);
    await recordIncomeDeclaration(trx, actor, householdId, input, 'declare household income');
    return view(trx, householdId, actor.locale);
  });
}

/** The open household of a citizen, if any. */
export async function householdIdOfCitizen(db: Db, citizenId: number): Promise<number | null> {
  return (await repo.openMembershipOf(db, citizenId))?.household_id ?? null;
}

/** A household with its members (current and past) and declarations (audited read). */
export async function getHousehold(ctx: AppContext, actor: Actor, householdId: number): Promise<HouseholdView> {
  const v = await view(ctx.db, householdId, actor.locale);
  await recordAudit(ctx.db, actor, { action: 'household.read', citizenIds: [...new Set(v.members.map((m) => m.citizenId))], resource: `households/${householdId}`, purpose: 'household record' });
  return v;
}

async function view(db: Db, householdId: number, locale: Locale): Promise<HouseholdView> {
  const h = await repo.findHousehold(db, householdId);
  if (!h) throw notFound(`household ${householdId}`);
  const { relations, sources } = await householdCodes();
  const name = (list: CodedName[], code: string) => list.find((x) => x.code === code)?.name[locale] ?? code;
  const members = await repo.listMembers(db, householdId);
  const decl = await repo.listDeclarations(db, householdId);
  return {
    id: h.household_id, districtCode: h.district_code, address: h.address, createdAt: h.created_at.toISOString(),
    members: members.map((m) => ({
      citizenId: m.citizen_id, fin: m.fin, lastName: m.last_name, firstName: m.first_name, patronymic: m.patronymic, birthDate: m.birth_date, deathDate: m.death_date,
      relation: m.relation, relationName: name(relations, m.relation), joinedOn: m.joined_on, leftOn: m.left_on, current: m.left_on === null,
    })),
    declarations: decl.map((d) => ({
      id: d.declaration_id, monthlyIncomeAzn: Number(d.monthly_income_azn), periodFrom: d.period_from, periodTo: d.period_to, source: d.source,
      sourceName: name(sources, d.source), declaredOn: d.declared_on, createdAt: d.created_at.toISOString(),
    })),
  };
}

/** The citizen with this FIN, dead or alive (the household checks then say which): for the CLI. */
export const citizenIdByFin = (db: Db, fin: string) => repo.citizenIdByFin(db, fin);
