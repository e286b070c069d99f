/**
 * Possible duplicate persons: candidate pairs found set-based in SQL and queued in
 * person_match_candidates for an officer to merge or dismiss.
 *
 * Blocking: two living, unmerged records are compared when they share the birth date, or the
 * folded surname (dost_fold_name, see names.ts) and the birth year. Each compared pair gets a
 * Fellegi-Sunter score (the sum of per-field weights of data/registry/matching.json: folded
 * surname, given name and patronymic agree or not; birth date exact, day and month transposed,
 * one day off, or other; sex; district); pairs at or above the threshold are inserted once per
 * pair (low id, high id) — a pair already queued, merged or dismissed is never queued again.
 */
import { sql } from 'kysely';
import { Type, type Static } from 'typebox';
import type { Db } from '../../platform/db.ts';
import { readDataFile } from '../reference/data-files.ts';

const Agree = Type.Object({ agree: Type.Number(), disagree: Type.Number() });
export const MatchingFile = Type.Object({
  meta: Type.Object({ title: Type.String(), sources: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), url: Type.String() }), { minItems: 1 }) }, { additionalProperties: true }),
  threshold: Type.Number(),
  weights: Type.Object({
    last_name: Agree,
    first_name: Agree,
    patronymic: Type.Object({ agree: Type.Number(), disagree: Type.Number(), missing: Type.Number() }),
    birth_date: Type.Object({ exact: Type.Number(), transposed: Type.Number(), one_day: Type.Number(), disagree: Type.Number() }),
    sex: Agree,
    district: Agree,
  }),
});
export type MatchingParameters = Static<typeof MatchingFile>;

let cache: Promise<MatchingParameters> | undefined;
/** data/registry/matching.json, validated, read once per process. */
export const readMatchingParameters = (): Promise<MatchingParameters> => (cache ??= readDataFile('registry/matching.json', MatchingFile));

export interface MatchOptions {
  /** Compare only records with an id above this one against the registry (an import's new rows); 0 = everyone. */
  afterCitizenId?: number;
  /** What found the pairs (stored on each candidate). */
  foundBy?: 'import' | 'match' | 'api';
  parameters?: MatchingParameters;
}

/** A queued pair: the new (higher-id, or the one above afterCitizenId) record and the other. */
export interface QueuedPair {
  candidateId: number;
  lowCitizenId: number;
  highCitizenId: number;
  score: number;
}

/**
 * Finds and queues candidate pairs, set-based in one statement; returns the pairs it queued
 * (pairs already known are not returned).
 */
export async function findPossibleDuplicates(db: Db, opts: MatchOptions = {}): Promise<QueuedPair[]> {
  const p = opts.parameters ?? (await readMatchingParameters());
  const r = await matchStatement(p, opts.afterCitizenId ?? 0, opts.foundBy ?? 'match').execute(db);
  return toPairs(r.rows);
}

type PairRow = { candidate_id: string | number; low_citizen_id: string | number; high_citizen_id: string | number; score: string | number };
/** Rows returned by {@link matchStatement} as pairs. */
export const toPairs = (rows: readonly PairRow[]): QueuedPair[] =>
  rows.map((x) => ({ candidateId: Number(x.candidate_id), lowCitizenId: Number(x.low_citizen_id), highCitizenId: Number(x.high_citizen_id), score: Number(x.score) }));

/** The one statement that finds, scores and queues pairs (returning the queued ones), for a raw connection too. */
export function matchStatement(p: MatchingParameters, after: number, foundBy: 'import' | 'match' | 'api') {
  const w = p.weights;
  return sql<PairRow>`
    with k as materialized (
      -- every living, unmerged record folded once, so the joins below are plain hash joins
      select citizen_id, birth_date, extract(year from birth_date)::int as y, sex, district_code,
             dost_fold_name(last_name) as l, dost_fold_name(first_name) as f, dost_fold_name(patronymic) as p
        from citizens where merged_into is null and death_date is null
         -- an import compares its new rows only with people born within a day of one of them, so
         -- a small file into a large registry folds a few thousand names, not all of them (the
         -- registry-wide run, after = 0, blocks on surname and birth year too)
         and (${after} = 0 or birth_date in (select (n.birth_date + v.o)::date from citizens n cross join (values (-1), (0), (1)) v(o) where n.citizen_id > ${after}))
    ), a as materialized (
      select * from k where citizen_id > ${after}
    ), pairs as (
      select a.citizen_id, a.birth_date, a.sex, a.district_code, a.l, a.f, a.p,
             b.citizen_id as b_id, b.birth_date as b_birth, b.sex as b_sex, b.district_code as b_district, b.l as bl, b.f as bf, b.p as bp
        from a join k b on b.birth_date = a.birth_date and b.citizen_id <> a.citizen_id
      union all
      select a.citizen_id, a.birth_date, a.sex, a.district_code, a.l, a.f, a.p,
             b.citizen_id, b.birth_date, b.sex, b.district_code, b.l, b.f, b.p
        from a join k b on b.l = a.l and b.y = a.y and b.birth_date <> a.birth_date
    ), levels as (
      select least(citizen_id, b_id) as low, greatest(citizen_id, b_id) as high,
             case when l = bl then 'agree' else 'disagree' end as last_name,
             case when f = bf then 'agree' else 'disagree' end as first_name,
             case when p = '' or bp = '' then 'missing' when p = bp then 'agree' else 'disagree' end as patronymic,
             case when birth_date = b_birth then 'exact'
                  when extract(year from birth_date) = extract(year from b_birth) and extract(month from birth_date) = extract(day from b_birth)
                       and extract(day from birth_date) = extract(month from b_birth) then 'transposed'
                  when abs(birth_date - b_birth) = 1 then 'one_day' else 'disagree' end as birth_date,
             case when sex = b_sex then 'agree' else 'disagree' end as sex,
             case when district_code = b_district then 'agree' else 'disagree' end as district
        from pairs
    ), scored as (
      select distinct on (low, high) low, high,
             jsonb_build_object(
               'last_name', jsonb_build_object('level', last_name, 'weight', ${JSON.stringify(w.last_name)}::jsonb -> last_name),
               'first_name', jsonb_build_object('level', first_name, 'weight', ${JSON.stringify(w.first_name)}::jsonb -> first_name),
               'patronymic', jsonb_build_object('level', patronymic, 'weight', ${JSON.stringify(w.patronymic)}::jsonb -> patronymic),
               'birth_date', jsonb_build_object('level', birth_date, 'weight', ${JSON.stringify(w.birth_date)}::jsonb -> birth_date),
               'sex', jsonb_build_object('level', sex, 'weight', ${JSON.stringify(w.sex)}::jsonb -> sex),
               'district', jsonb_build_object('level', district, 'weight', ${JSON.stringify(w.district)}::jsonb -> district)
             ) as breakdown
        from levels
    ), totals as (
      select low, high, breakdown,
             (select sum((v -> 'weight')::numeric) from jsonb_each(breakdown) as e(k, v)) as score
        from scored
    )
    insert into person_match_candidates (low_citizen_id, high_citizen_id, score, breakdown, found_by)
    select low, high, score, breakdown, ${foundBy} from totals where score >= ${p.threshold}
    on conflict (low_citizen_id, high_citizen_id) do nothing
    returning candidate_id, low_citizen_id, high_citizen_id, score`;
}
