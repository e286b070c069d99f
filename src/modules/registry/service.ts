import { Value } from 'typebox/value';
import { recordAudit } from '../../platform/audit.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { hasRole } from '../../platform/context.ts';
import { AppError, notFound, validationError } from '../../platform/errors.ts';
import { publishEvent } from '../../platform/events.ts';
import type { Db } from '../../platform/db.ts';
import { validationMessage } from '../../platform/http/errors.ts';
import { bakuDate } from '../../platform/calendar.ts';
import { checkEvent, loadCheckState, localizeFailure } from './event-checks.ts';
import { isIsoDate, normalizeFin } from './identifiers.ts';
import * as repo from './repository.ts';
import type { PrefillField } from './repository.ts';
import { LifeEventData, type CitizenRecord, type CitizenSummary, type RecordLifeEventBody } from './schema.ts';

type SummaryRow = NonNullable<Awaited<ReturnType<typeof repo.findCitizenByFin>>>;

/** The short form of a citizen used in lists and case views. */
export function toCitizenSummary(c: SummaryRow): CitizenSummary {
  return {
    id: c.citizen_id, fin: c.fin, lastName: c.last_name, firstName: c.first_name, patronymic: c.patronymic,
    birthDate: c.birth_date, sex: c.sex, districtCode: c.district_code, deathDate: c.death_date,
  };
}

/** Staff roles that may look people up in the registry. */
export const REGISTRY_READERS = ['operator', 'officer', 'call_center_agent', 'center_manager', 'admin'] as const;

/** Throws FORBIDDEN unless the actor is the citizen or staff allowed to read the registry. */
export function assertMayReadCitizen(actor: Actor, citizenId: number): void {
  if (actor.citizenId === citizenId) return;
  if (hasRole(actor, ...REGISTRY_READERS)) return;
  throw new AppError('FORBIDDEN');
}

/** Finds a citizen by FIN (exact match); the look-up is audited even when nobody is found. */
export async function findCitizenByFin(ctx: AppContext, actor: Actor, finInput: string) {
  const fin = normalizeFin(finInput);
  const row = await repo.findCitizenByFin(ctx.db, fin);
  await recordAudit(ctx.db, actor, {
    action: 'citizen.search', citizenId: row?.citizen_id ?? null, resource: `citizens?fin=${fin.slice(0, 1)}******`, purpose: 'identify citizen at service point',
  });
  return { items: row ? [toCitizenSummary(row)] : [] };
}

/** The full registry record: person, current household and life events. Audited. */
export async function getCitizenRecord(ctx: AppContext, actor: Actor, citizenId: number, purpose: string): Promise<CitizenRecord> {
  assertMayReadCitizen(actor, citizenId);
  const c = await repo.findCitizenById(ctx.db, citizenId);
  if (!c) throw notFound(`citizen ${citizenId}`);
  const [household, events] = await Promise.all([repo.findCurrentHousehold(ctx.db, citizenId), repo.listLifeEvents(ctx.db, citizenId)]);
  await recordAudit(ctx.db, actor, { action: 'citizen.read', citizenId, resource: `citizens/${citizenId}`, purpose });
  return {
    ...toCitizenSummary(c),
    address: c.address, phone: c.phone, idCardNumber: c.id_card_number,
    household: household
      ? {
          id: household.householdId,
          members: household.members.map((m) => ({
            citizenId: m.citizen_id, fin: m.fin, name: `${m.last_name} ${m.first_name}`, relation: m.relation, birthDate: m.birth_date,
          })),
        }
      : null,
    lifeEvents: events.map((e) => ({ id: e.event_id, type: e.type, occurredOn: e.occurred_on, recordedAt: e.recorded_at.toISOString(), source: e.source, data: e.data })),
  };
}

/** The signed-in citizen's own record. */
export async function getOwnRecord(ctx: AppContext, actor: Actor): Promise<CitizenRecord> {
  if (actor.citizenId == null) throw notFound('citizen record for this user');
  return getCitizenRecord(ctx, actor, actor.citizenId, 'citizen views own record');
}

/** Citizen summaries by id, for lists (the caller audits). */
export async function getCitizenSummaries(db: Db, ids: number[]): Promise<Map<number, CitizenSummary>> {
  const rows = await repo.findCitizenSummaries(db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.citizen_id, toCitizenSummary(r)]));
}

/**
 * Appends a life event after validating its facts against the schema of its type, and publishes
 * it through the outbox in the same transaction.
 */
export async function recordLifeEvent(ctx: AppContext, actor: Actor, citizenId: number, body: RecordLifeEventBody) {
  const schema = LifeEventData[body.type];
  const errors = [...Value.Errors(schema, body.data)].map((e) => ({
    field: `/data${e.instancePath}${e.keyword === 'required' ? `/${(e.params as { requiredProperties?: string[] }).requiredProperties?.[0] ?? ''}` : ''}`,
    code: e.keyword, message: validationMessage(e.keyword, actor.locale),
  }));
  if (!isIsoDate(body.occurredOn)) errors.push({ field: '/occurredOn', code: 'format', message: validationMessage('format', actor.locale) });
  if (errors.length > 0) throw validationError(errors);
  return ctx.db.transaction().execute(async (trx) => {
    // The same checks as agency intake (event-checks.ts): 409 when the fact is already recorded,
    // 422 when the event disagrees with the registry; each failure names its field.
    const event = { citizenId, type: body.type, kind: 'original' as const, occurredOn: body.occurredOn, data: body.data };
    const state = await loadCheckState(trx, bakuDate(ctx.now()), [event]);
    const failures = checkEvent(event, state);
    if (failures.some((f) => f.code === 'CITIZEN_NOT_FOUND')) throw notFound(`citizen ${citizenId}`);
    if (failures.length > 0) {
      const details = failures.map((f) => localizeFailure(f, actor.locale));
      throw failures.some((f) => f.conflict) ? new AppError('CONFLICT', { what: details[0]!.message }, details) : new AppError('LIFE_EVENT_REFUSED', {}, details);
    }
    if (body.type === 'death') await repo.setDeathDate(trx, citizenId, body.occurredOn);
    const row = await repo.insertLifeEvent(trx, { citizenId, type: body.type, occurredOn: body.occurredOn, source: body.source, data: body.data });
    await publishEvent(trx, 'registry.life_event.recorded', { citizenId, eventId: row.event_id, type: row.type, occurredOn: row.occurred_on });
    await recordAudit(trx, actor, { action: 'citizen.life_event.record', citizenId, resource: `citizens/${citizenId}/life-events/${row.event_id}`, purpose: `record ${body.type}` });
    return { id: row.event_id, type: row.type, occurredOn: row.occurred_on, recordedAt: row.recorded_at.toISOString(), source: row.source, data: row.data };
  });
}


/**
 * The values the registry already holds for a form's prefilled fields, by field name, so the
 * citizen is never asked for them. Audited as a read of personal data.
 */
export async function getPrefillValues(db: Db, actor: Actor, citizenId: number, fields: readonly PrefillField[]): Promise<Record<string, string | number>> {
  assertMayReadCitizen(actor, citizenId);
  const values = await repo.findPrefillValues(db, citizenId, fields);
  if (!values) throw notFound(`citizen ${citizenId}`);
  if (fields.length > 0) await recordAudit(db, actor, { action: 'citizen.prefill', citizenId, resource: `citizens/${citizenId}/prefill`, purpose: 'fill application form from registry' });
  return values;
}

/**
 * The id of the living citizen with this FIN, or undefined — for linking a self-identified person
 * (e.g. at a kiosk) without revealing anything about them, so no audit row.
 */
export async function findCitizenIdByFin(db: Db, fin: string): Promise<number | undefined> {
  return (await repo.findLivingCitizenIdByFin(db, normalizeFin(fin)))?.citizen_id;
}
