import type { ColumnType, Generated } from 'kysely';

// Row types of the queue tables (migrations/0007_queue.sql, 0011_queue_capacity_call.sql), added to the DB interface.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DateStr = ColumnType<string, string, string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface QueueCenterServicesTable {
  center_code: string;
  service_code: string;
  letter: string;
  active: Generated<boolean>;
}

export interface QueueWindowsTable {
  center_code: string;
  window_no: number;
  is_open: Generated<boolean>;
  skills: ColumnType<string[], string[] | undefined, string[]>;
  updated_at: Timestamp;
}

export interface QueueRostersTable {
  center_code: string;
  work_date: DateStr;
  window_no: number;
  user_id: string;
}

export interface QueueSlotsTable {
  center_code: string;
  service_code: string;
  starts_at: Timestamp;
  minutes: number;
  capacity: number;
  booked: Generated<number>;
  kept_over_capacity: Generated<number>;
}

export interface QueueAppointmentsTable {
  appointment_id: Generated<number>;
  confirmation_code: string;
  center_code: string;
  service_code: string;
  starts_at: Timestamp;
  citizen_id: number | null;
  booked_by: string | null;
  status: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface QueueTicketsTable {
  ticket_id: Generated<number>;
  center_code: string;
  service_date: DateStr;
  number: string;
  service_code: string;
  status: Generated<string>;
  priority: Generated<string>;
  channel: string;
  queued_at: Timestamp;
  due_at: NullableTimestamp;
  issued_at: Timestamp;
  called_at: NullableTimestamp;
  serving_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  no_show_at: NullableTimestamp;
  last_recalled_at: NullableTimestamp;
  recalls: Generated<number>;
  transferred_at: NullableTimestamp;
  transfers: Generated<number>;
  target_window_no: number | null;
  window_no: number | null;
  operator_user_id: string | null;
  citizen_id: number | null;
  application_reference: string | null;
  appointment_id: number | null;
  estimated_wait_minutes: number | null;
  survey_token: string;
}

export interface QueueTicketCountersTable {
  center_code: string;
  service_date: DateStr;
  letter: string;
  last_seq: number;
}

export interface QueueEventsTable {
  event_id: Generated<number>;
  center_code: string;
  at: Timestamp;
  kind: string;
  ticket_id: number | null;
  window_no: number | null;
  user_id: string | null;
  payload: Json<Record<string, unknown>>;
}

export interface QueueSurveyQuestionsTable {
  question_id: Generated<number>;
  center_code: string | null;
  position: number;
  kind: string;
  text_az: string;
  text_ru: string;
  text_en: string;
  active: Generated<boolean>;
}

export interface QueueSurveyResponsesTable {
  ticket_id: number;
  center_code: string;
  service_code: string;
  window_no: number | null;
  operator_user_id: string | null;
  rating: number;
  comment: string | null;
  answers: Json<Record<string, unknown>>;
  channel: string;
  submitted_at: Timestamp;
}

declare module '../../platform/db-types.ts' {
  interface DB {
    queue_center_services: QueueCenterServicesTable;
    queue_windows: QueueWindowsTable;
    queue_rosters: QueueRostersTable;
    queue_slots: QueueSlotsTable;
    queue_appointments: QueueAppointmentsTable;
    queue_tickets: QueueTicketsTable;
    queue_ticket_counters: QueueTicketCountersTable;
    queue_events: QueueEventsTable;
    queue_survey_questions: QueueSurveyQuestionsTable;
    queue_survey_responses: QueueSurveyResponsesTable;
  }
}
