import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { ReferenceData } from './data-files.ts';

/**
 * Writes the reference data into its tables, inserting new rows and updating changed ones,
 * in one transaction. Rows dropped from the files are kept (applications reference them) but
 * services are marked inactive.
 */
export async function upsertReferenceData(db: Db, data: ReferenceData): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const r of data.regions.regions) {
      await trx
        .insertInto('regions')
        .values({ region_code: r.code, name_az: r.name.az, name_ru: r.name.ru, name_en: r.name.en, population_share_pct: r.population_share_pct })
        .onConflict((oc) => oc.column('region_code').doUpdateSet((eb) => ({
          name_az: eb.ref('excluded.name_az'), name_ru: eb.ref('excluded.name_ru'), name_en: eb.ref('excluded.name_en'),
          population_share_pct: eb.ref('excluded.population_share_pct'),
        })))
        .execute();
    }
    const districts = data.regions.regions.flatMap((r) =>
      r.districts.map((d) => ({
        district_code: d.code, region_code: r.code, name_az: d.name.az, name_ru: d.name.ru, name_en: d.name.en,
        kind: d.kind, population: d.population, postal_prefix: d.postal_prefix ?? null,
      })),
    );
    await trx.insertInto('districts').values(districts)
      .onConflict((oc) => oc.column('district_code').doUpdateSet((eb) => ({
        region_code: eb.ref('excluded.region_code'), name_az: eb.ref('excluded.name_az'), name_ru: eb.ref('excluded.name_ru'),
        name_en: eb.ref('excluded.name_en'), kind: eb.ref('excluded.kind'), population: eb.ref('excluded.population'),
        postal_prefix: eb.ref('excluded.postal_prefix'),
      })))
      .execute();
    // Two holidays can fall on one date (e.g. a Bayram on Victory Day): one day off, both names.
    const byDate = new Map<string, { holiday_date: string; name_az: string; name_ru: string; name_en: string; kind: string }>();
    for (const h of data.holidays.holidays) {
      const prev = byDate.get(h.date);
      byDate.set(h.date, prev
        ? { ...prev, name_az: `${prev.name_az}; ${h.name.az}`, name_ru: `${prev.name_ru}; ${h.name.ru}`, name_en: `${prev.name_en}; ${h.name.en}` }
        : { holiday_date: h.date, name_az: h.name.az, name_ru: h.name.ru, name_en: h.name.en, kind: h.kind });
    }
    await trx.insertInto('holidays')
      .values([...byDate.values()])
      .onConflict((oc) => oc.column('holiday_date').doUpdateSet((eb) => ({
        name_az: eb.ref('excluded.name_az'), name_ru: eb.ref('excluded.name_ru'), name_en: eb.ref('excluded.name_en'), kind: eb.ref('excluded.kind'),
      })))
      .execute();
    // Weekend days swapped into working days (the file's working_saturdays): worked, so SLAs count them.
    const worked = data.holidays.working_saturdays ?? [];
    if (worked.length > 0) {
      await trx.insertInto('working_days')
        .values(worked.map((d) => ({ work_date: d, note: 'data/calendar/holidays-az.json working_saturdays' })))
        .onConflict((oc) => oc.column('work_date').doNothing())
        .execute();
    }
    await trx.insertInto('service_categories')
      .values(data.categories.categories.map((c) => ({ category_code: c.code, name_az: c.name.az, name_ru: c.name.ru, name_en: c.name.en, sort: c.sort })))
      .onConflict((oc) => oc.column('category_code').doUpdateSet((eb) => ({
        name_az: eb.ref('excluded.name_az'), name_ru: eb.ref('excluded.name_ru'), name_en: eb.ref('excluded.name_en'), sort: eb.ref('excluded.sort'),
      })))
      .execute();
    const services = data.services.services.map((s) => ({
      service_code: s.code, category_code: s.category, name_az: s.name.az, name_ru: s.name.ru, name_en: s.name.en,
      description_az: s.description.az, description_ru: s.description.ru, description_en: s.description.en,
      channels: s.channels, proactive: s.proactive, benefit_id: s.benefit ?? null, legal_basis: s.legal_basis, documents: JSON.stringify(s.documents),
      sla_working_days: s.sla_working_days, counter_minutes: s.counter_minutes, agency: s.agency, fee_azn: s.fee_azn,
      form: JSON.stringify(s.form), active: true,
      search_text: [s.code, s.name.az, s.name.ru, s.name.en, s.description.az, s.description.ru, s.description.en].join(' ').toLowerCase(),
    }));
    await trx.insertInto('services').values(services)
      .onConflict((oc) => oc.column('service_code').doUpdateSet((eb) => ({
        category_code: eb.ref('excluded.category_code'), name_az: eb.ref('excluded.name_az'), name_ru: eb.ref('excluded.name_ru'),
        name_en: eb.ref('excluded.name_en'), description_az: eb.ref('excluded.description_az'),
        description_ru: eb.ref('excluded.description_ru'), description_en: eb.ref('excluded.description_en'),
        channels: eb.ref('excluded.channels'), proactive: eb.ref('excluded.proactive'), benefit_id: eb.ref('excluded.benefit_id'), legal_basis: eb.ref('excluded.legal_basis'),
        documents: eb.ref('excluded.documents'), sla_working_days: eb.ref('excluded.sla_working_days'),
        counter_minutes: eb.ref('excluded.counter_minutes'), agency: eb.ref('excluded.agency'), fee_azn: eb.ref('excluded.fee_azn'),
        form: eb.ref('excluded.form'), active: eb.ref('excluded.active'), search_text: eb.ref('excluded.search_text'),
      })))
      .execute();
    await trx.updateTable('services').set({ active: false })
      .where('service_code', 'not in', services.map((s) => s.service_code)).execute();
    await trx.insertInto('centers')
      .values(data.centers.centers.map((c) => ({
        center_code: c.code, kind: c.kind, name_az: c.name.az, name_ru: c.name.ru, name_en: c.name.en,
        address_az: c.address.az, address_ru: c.address.ru, address_en: c.address.en, district_code: c.district_code,
        serves_districts: c.serves_districts, opened_on: c.opened_on, status: c.status, windows: c.windows,
        capacity_per_day: c.capacity_per_day ?? null, hours: JSON.stringify(c.hours ?? {}), confirmed: c.confidence === 'confirmed',
      })))
      .onConflict((oc) => oc.column('center_code').doUpdateSet((eb) => ({
        kind: eb.ref('excluded.kind'), name_az: eb.ref('excluded.name_az'), name_ru: eb.ref('excluded.name_ru'), name_en: eb.ref('excluded.name_en'),
        address_az: eb.ref('excluded.address_az'), address_ru: eb.ref('excluded.address_ru'), address_en: eb.ref('excluded.address_en'),
        district_code: eb.ref('excluded.district_code'), serves_districts: eb.ref('excluded.serves_districts'),
        opened_on: eb.ref('excluded.opened_on'), status: eb.ref('excluded.status'), windows: eb.ref('excluded.windows'),
        capacity_per_day: eb.ref('excluded.capacity_per_day'), hours: eb.ref('excluded.hours'), confirmed: eb.ref('excluded.confirmed'),
      })))
      .execute();
  });
}

/** Counts rows of the reference tables (to tell a fresh database from a loaded one). */
export async function countReferenceRows(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`select (select count(*) from services) + (select count(*) from districts) as n`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
