import type { ColumnType, Generated } from 'kysely';

type Json<T = unknown> = ColumnType<T, string | T, string | T>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A possible duplicate pair of persons, queued for an officer's review (migration 0023). */
export interface PersonMatchCandidatesTable {
  candidate_id: Generated<number>;
  low_citizen_id: number;
  high_citizen_id: number;
  score: number;
  breakdown: Json<Record<string, { level: string; weight: number }>>;
  status: Generated<'open' | 'merged' | 'dismissed'>;
  found_by: 'import' | 'match' | 'api';
  found_at: Generated<Date>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  reason: string | null;
}

/** A merge of a duplicate record into the surviving one, with what was moved. */
export interface PersonMergesTable {
  merge_id: Generated<number>;
  survivor_citizen_id: number;
  merged_citizen_id: number;
  candidate_id: number | null;
  moved: Json<Record<string, number>>;
  merged_by: string;
  merged_at: Timestamp;
}

declare module '../../platform/db-types.ts' {
  interface DB {
    person_match_candidates: PersonMatchCandidatesTable;
    person_merges: PersonMergesTable;
  }
}
