import type { ColumnType, Generated } from 'kysely';

// Row types of the cases module's own tables beyond applications (migrations/0018_scheduler.sql).

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface StaffNotificationsTable {
  notification_id: Generated<number>;
  recipient_role: string;
  center_code: string | null;
  kind: 'escalated';
  citizen_id: number;
  application_id: string;
  reference: string;
  level: number;
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

declare module '../../platform/db-types.ts' {
  interface DB {
    staff_notifications: StaffNotificationsTable;
  }
}
