/** Queue endpoints (src/modules/queue/routes.ts) through the one API client. */
import { request } from '../../api.ts';
import type { Citizen, L } from '../../types.ts';

export type TicketStatus = 'waiting' | 'called' | 'serving' | 'done' | 'no_show';
export type Priority = 'appointment' | 'disability' | 'elderly' | 'normal';
export const WALK_IN_PRIORITIES = ['normal', 'elderly', 'disability'] as const;

export interface Ticket {
  id: number;
  number: string;
  centerCode: string;
  serviceDate: string;
  serviceCode: string;
  status: TicketStatus;
  priority: Priority;
  channel: string;
  issuedAt: string;
  queuedAt: string;
  dueAt: string | null;
  calledAt: string | null;
  servingAt: string | null;
  finishedAt: string | null;
  noShowAt: string | null;
  lastRecalledAt: string | null;
  recalls: number;
  transferredAt: string | null;
  transfers: number;
  windowNo: number | null;
  targetWindowNo: number | null;
  operatorUserId: string | null;
  citizenId: number | null;
  applicationReference: string | null;
  appointmentId: number | null;
  estimatedWaitMinutes: number | null;
}

export interface IssuedTicket {
  ticket: Ticket;
  waitingAhead: number;
  estimatedWaitMinutes: number | null;
  surveyToken: string;
}

/** What the public kiosk gets back: the slip only (no ids, no citizen). A staff-issued ticket has it too. */
export interface PublicIssuedTicket {
  ticket: Pick<Ticket, 'number' | 'centerCode' | 'serviceDate' | 'serviceCode' | 'status' | 'priority' | 'issuedAt' | 'dueAt'>;
  waitingAhead: number;
  estimatedWaitMinutes: number | null;
  surveyToken: string;
}

export interface OpenApplication {
  reference: string;
  serviceCode: string;
  status: string;
  submittedAt: string;
  slaDueOn: string | null;
}

export interface CallNext {
  ticket: Ticket | null;
  /** The registry's short record of the ticket's citizen (see Citizen). */
  citizen: Pick<Citizen, 'id' | 'fin' | 'lastName' | 'firstName' | 'patronymic' | 'birthDate' | 'sex' | 'districtCode' | 'deathDate'> | null;
  openApplications: OpenApplication[];
  benefits: Record<string, unknown>[];
}

export interface QueueWindow {
  windowNo: number;
  isOpen: boolean;
  skills: string[];
  ticket: { id: number; number: string; status: string; calledAt: string | null } | null;
  operatorUserId: string | null;
}

export interface CenterService {
  serviceCode: string;
  letter: string;
  name: L;
  counterMinutes: number;
  waiting: number;
  openWindows: number;
  estimatedWaitMinutes: number | null;
}

export interface Hall {
  centerCode: string;
  serviceDate: string;
  /** The newest event of the center when the hall was read; the SSE stream follows from it. */
  lastEventId: number;
  waiting: number;
  called: number;
  serving: number;
  done: number;
  noShow: number;
  longestWaitMinutes: number;
  windowsOpen: number;
  windowsTotal: number;
  waitingByLetter: Record<string, number>;
  windows: QueueWindow[];
  queue: { id: number; number: string; serviceCode: string; priority: string; queuedAt: string; targetWindowNo: number | null }[];
}

export interface Figures {
  issued: number;
  served: number;
  noShows: number;
  avgWaitMinutes: number | null;
  p90WaitMinutes: number | null;
  avgServiceMinutes: number | null;
  p90ServiceMinutes: number | null;
  ratings: number;
  avgRating: number | null;
  satisfiedPct: number | null;
}

export interface DailyReport {
  centerCode: string;
  date: string;
  total: Figures;
  byService: (Figures & { serviceCode: string })[];
  byOperator: (Figures & { operatorUserId: string; operatorName: string | null })[];
}

export interface WaitTime {
  centerCode: string;
  name: L;
  kind: string;
  waiting: number;
  windowsOpen: number;
  longestWaitMinutes: number;
  estimatedWaitMinutes: number | null;
}

export interface Board {
  centerCode: string;
  name: L;
  serviceDate: string;
  lastEventId: number;
  called: { number: string; windowNo: number | null; status: string; calledAt: string | null }[];
  windows: { windowNo: number; isOpen: boolean; ticketNumber: string | null }[];
  waitingByLetter: Record<string, number>;
}

/** An event of the center's SSE stream (never with personal data). */
export interface QueueEvent {
  id: number;
  center: string;
  kind: string;
  at: string;
  windowNo: number | null;
  payload: { number?: string; status?: string; windowNo?: number | null; [k: string]: unknown };
}

export const QUEUE_EVENT_KINDS = [
  'ticket.issued',
  'ticket.called',
  'ticket.recalled',
  'ticket.serving',
  'ticket.finished',
  'ticket.no_show',
  'ticket.transferred',
  'window.changed',
] as const;

export interface Slots {
  serviceCode: string;
  date: string;
  centers: {
    centerCode: string;
    name: L;
    servesDistrict: boolean;
    sameRegion: boolean;
    slots: { startsAt: string; minutes: number; free: number }[];
  }[];
}

export interface Appointment {
  confirmation: string;
  centerCode: string;
  serviceCode: string;
  startsAt: string;
  status: string;
  citizenId: number | null;
  createdAt: string;
}

/** An appointment as its code's holder sees it on the public routes (no citizen id). */
export type PublicAppointment = Omit<Appointment, 'citizenId'>;

/** A citizen's own appointment (GET /api/queue/appointments/mine). */
export interface MyAppointment {
  confirmation: string;
  centerCode: string;
  centerName: L;
  serviceCode: string;
  serviceName: L;
  startsAt: string;
  status: string;
  createdAt: string;
}

export interface MyAppointments {
  upcoming: MyAppointment[];
  recent: MyAppointment[];
}

export interface SurveyQuestion {
  id: number;
  kind: 'rating' | 'text' | 'yes_no';
  text: L;
}

export interface Survey {
  ticketNumber: string;
  centerCode: string;
  serviceCode: string;
  status: string;
  answered: boolean;
  questions: SurveyQuestion[];
}

export type TicketAction = 'recall' | 'serve' | 'finish' | 'no-show';

const c = (code: string) => `/api/queue/centers/${encodeURIComponent(code)}`;

export const queueApi = {
  waitTimes: () => request<WaitTime[]>('/api/queue/wait-times'),
  centerServices: (center: string) => request<CenterService[]>(`${c(center)}/services`),
  kioskTicket: (center: string, body: { serviceCode: string; priority?: string }) =>
    request<PublicIssuedTicket>(`${c(center)}/kiosk/tickets`, { method: 'POST', body }),
  kioskCheckIn: (center: string, confirmation: string) =>
    request<PublicIssuedTicket>(`${c(center)}/kiosk/check-in`, { method: 'POST', body: { confirmation } }),
  staffTicket: (center: string, body: { serviceCode: string; priority?: string; citizenId?: number }) =>
    request<IssuedTicket>(`${c(center)}/tickets`, { method: 'POST', body }),
  staffCheckIn: (center: string, confirmation: string) =>
    request<IssuedTicket>(`${c(center)}/check-in`, { method: 'POST', body: { confirmation } }),
  board: (center: string) => request<Board>(`${c(center)}/board`),
  hall: (center: string) => request<Hall>(`${c(center)}/hall`),
  windows: (center: string) => request<QueueWindow[]>(`${c(center)}/windows`),
  callNext: (center: string, windowNo: number) =>
    request<CallNext>(`${c(center)}/windows/${windowNo}/call-next`, { method: 'POST' }),
  ticket: (id: number) => request<Ticket>(`/api/queue/tickets/${id}`),
  act: (id: number, action: TicketAction, body: { applicationReference?: string } = {}) =>
    request<Ticket>(`/api/queue/tickets/${id}/${action}`, { method: 'POST', body }),
  transfer: (id: number, body: { windowNo?: number; serviceCode?: string }) =>
    request<Ticket>(`/api/queue/tickets/${id}/transfer`, { method: 'POST', body }),
  updateWindow: (center: string, windowNo: number, body: { isOpen?: boolean; skills?: string[] }) =>
    request<QueueWindow>(`${c(center)}/windows/${windowNo}`, { method: 'PATCH', body }),
  report: (center: string, date?: string) => request<DailyReport>(`${c(center)}/report`, { query: { date } }),
  slots: (q: { service: string; date: string; district?: string; center?: string }) =>
    request<Slots>('/api/queue/slots', { query: { ...q } }),
  book: (body: { centerCode: string; serviceCode: string; startsAt: string; citizenId?: number }) =>
    request<Appointment>('/api/queue/appointments', { method: 'POST', body }),
  myAppointments: () => request<MyAppointments>('/api/queue/appointments/mine'),
  appointment: (code: string) => request<PublicAppointment>(`/api/queue/appointments/${encodeURIComponent(code)}`),
  cancelAppointment: (code: string) =>
    request<PublicAppointment>(`/api/queue/appointments/${encodeURIComponent(code)}/cancel`, { method: 'POST' }),
  moveAppointment: (code: string, body: { startsAt: string; centerCode?: string }) =>
    request<PublicAppointment>(`/api/queue/appointments/${encodeURIComponent(code)}/move`, { method: 'POST', body }),
  survey: (token: string) => request<Survey>(`/api/queue/surveys/${encodeURIComponent(token)}`),
  answerSurvey: (
    token: string,
    body: { rating: number; comment?: string; answers?: Record<string, number | boolean | string>; channel?: 'kiosk' | 'link' | 'portal' },
  ) => request<{ ticketNumber: string; rating: number }>(`/api/queue/surveys/${encodeURIComponent(token)}`, { method: 'POST', body }),
};

/** Baku time of day (HH:MM) of an instant. */
export function bakuTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Baku' }).format(new Date(iso));
}

/** Today's date in Baku (YYYY-MM-DD). */
export function bakuToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Baku' }).format(new Date());
}
