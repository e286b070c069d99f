import { FIN_INPUT_PATTERN } from '../registry/index.ts';
import { Type, type Static } from 'typebox';
import { DateTime, Id, Int as SafeInt, IsoDate as Day, L, LInput, Line, Text, Uuid } from '../../platform/http/schemas.ts';

/** Ticket statuses, in the order a visit goes through them. */
export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'done', 'no_show'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** Priority classes, highest first: due appointments, people with disabilities, the elderly, everyone else. */
export const PRIORITIES = ['appointment', 'disability', 'elderly', 'normal'] as const;
export type Priority = (typeof PRIORITIES)[number];
/** Priorities a kiosk or volunteer may give (appointment comes only from a check-in). */
export const WALK_IN_PRIORITIES = ['disability', 'elderly', 'normal'] as const;
export const TICKET_ACTIONS = ['recall', 'serve', 'finish', 'no_show', 'transfer'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

const ServiceCode = Type.String({ pattern: '^\\d{2}-\\d{2}-\\d{2}-\\d{2}$' });
const CenterCode = Type.String({ pattern: '^[A-Z0-9-]{2,30}$' });
const IsoDate = Day();
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const Int = Type.Integer();

export const CenterParams = Type.Object({ centerCode: CenterCode });
export const WindowParams = Type.Object({ centerCode: CenterCode, windowNo: SafeInt({ minimum: 1, maximum: 999 }) });
export const TicketParams = Type.Object({ ticketId: Id() });
export const ConfirmationParams = Type.Object({ confirmation: Type.String({ pattern: '^[A-Z0-9]{8}$' }) });
export const TokenParams = Type.Object({ token: Type.String({ pattern: '^[\\w-]{16,64}$' }) });
export const RosterParams = Type.Object({ centerCode: CenterCode, date: IsoDate });

export const IssueTicketBody = Type.Object({
  serviceCode: ServiceCode,
  priority: Type.Optional(Type.Enum([...WALK_IN_PRIORITIES])),
  citizenId: Type.Optional(Id()),
  applicationReference: Type.Optional(Type.String({ pattern: '^DOST-\\d{4}-(\\d{7,}|[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})$' })),
}, { additionalProperties: false });
export type IssueTicketBody = Static<typeof IssueTicketBody>;

export const KioskTicketBody = Type.Object({
  serviceCode: ServiceCode,
  priority: Type.Optional(Type.Enum([...WALK_IN_PRIORITIES])),
  /** Optional: the citizen identifies with their FIN so the operator sees them on call. */
  fin: Type.Optional(Type.String({ pattern: FIN_INPUT_PATTERN, description: 'FIN in any letter case' })),
}, { additionalProperties: false });
export type KioskTicketBody = Static<typeof KioskTicketBody>;

export const CheckInBody = Type.Object({ confirmation: Type.String({ pattern: '^[A-Z0-9]{8}$' }) }, { additionalProperties: false });

export const TransferBody = Type.Object({
  serviceCode: Type.Optional(ServiceCode),
  windowNo: Type.Optional(SafeInt({ minimum: 1, maximum: 999 })),
}, { additionalProperties: false, minProperties: 1 });
export type TransferBody = Static<typeof TransferBody>;

export const ServeBody = Type.Object({
  applicationReference: Type.Optional(Type.String({ pattern: '^DOST-\\d{4}-(\\d{7,}|[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})$' })),
}, { additionalProperties: false });

export const TicketOut = Type.Object({
  id: Int, number: Str, centerCode: Str, serviceDate: Str, serviceCode: Str,
  status: Type.Enum([...TICKET_STATUSES]), priority: Type.Enum([...PRIORITIES]), channel: Str,
  issuedAt: Str, queuedAt: Str, dueAt: Nullable(Str), calledAt: Nullable(Str), servingAt: Nullable(Str),
  finishedAt: Nullable(Str), noShowAt: Nullable(Str), lastRecalledAt: Nullable(Str), recalls: Int,
  transferredAt: Nullable(Str), transfers: Int, windowNo: Nullable(Int), targetWindowNo: Nullable(Int),
  operatorUserId: Nullable(Str), citizenId: Nullable(Int), applicationReference: Nullable(Str),
  appointmentId: Nullable(Int), estimatedWaitMinutes: Nullable(Int),
});
export type TicketOut = Static<typeof TicketOut>;

/** What the kiosk prints on the slip: no personal data, a survey token for the QR code. */
export const IssuedTicketOut = Type.Object({
  ticket: TicketOut,
  waitingAhead: Int,
  estimatedWaitMinutes: Nullable(Int),
  surveyToken: Str,
});

export const OpenApplication = Type.Object({ reference: Str, serviceCode: Str, status: Str, submittedAt: Str, slaDueOn: Nullable(Str) });

export const CallNextOut = Type.Object({
  ticket: Nullable(TicketOut),
  citizen: Nullable(Type.Object({
    id: Int, fin: Str, lastName: Str, firstName: Str, patronymic: Nullable(Str), birthDate: Str, sex: Str, districtCode: Str, deathDate: Nullable(Str),
  })),
  openApplications: Type.Array(OpenApplication),
  benefits: Type.Array(Type.Record(Type.String(), Type.Unknown())),
});

export const WindowOut = Type.Object({
  windowNo: Int, isOpen: Type.Boolean(), skills: Type.Array(Str),
  ticket: Nullable(Type.Object({ id: Int, number: Str, status: Str, calledAt: Nullable(Str) })),
  operatorUserId: Nullable(Str),
});

export const UpdateWindowBody = Type.Object({
  isOpen: Type.Optional(Type.Boolean()),
  skills: Type.Optional(Type.Array(ServiceCode, { maxItems: 200, uniqueItems: true })),
}, { additionalProperties: false, minProperties: 1 });
export type UpdateWindowBody = Static<typeof UpdateWindowBody>;

export const CenterServiceOut = Type.Object({
  serviceCode: Str, letter: Str, name: L, counterMinutes: Int, waiting: Int, openWindows: Int, estimatedWaitMinutes: Nullable(Int),
});

export const HallOut = Type.Object({
  centerCode: Str, serviceDate: Str,
  /** The newest event of the center when the hall was read: follow /events from here. */
  lastEventId: Int,
  waiting: Int, called: Int, serving: Int, done: Int, noShow: Int,
  longestWaitMinutes: Int, windowsOpen: Int, windowsTotal: Int,
  waitingByLetter: Type.Record(Type.String(), Type.Integer()),
  windows: Type.Array(WindowOut),
  queue: Type.Array(Type.Object({ id: Int, number: Str, serviceCode: Str, priority: Str, queuedAt: Str, targetWindowNo: Nullable(Int) })),
});

const Figures = {
  issued: Int, served: Int, noShows: Int,
  avgWaitMinutes: Nullable(Type.Number()), p90WaitMinutes: Nullable(Type.Number()),
  avgServiceMinutes: Nullable(Type.Number()), p90ServiceMinutes: Nullable(Type.Number()),
  ratings: Int, avgRating: Nullable(Type.Number()), satisfiedPct: Nullable(Type.Number()),
};
export const DailyReportOut = Type.Object({
  centerCode: Str, date: Str,
  total: Type.Object(Figures),
  byService: Type.Array(Type.Object({ serviceCode: Str, ...Figures })),
  byOperator: Type.Array(Type.Object({ operatorUserId: Str, operatorName: Nullable(Str), ...Figures })),
});
export const ReportQuery = Type.Object({ date: Type.Optional(IsoDate) }, { additionalProperties: false });

export const WaitTimeOut = Type.Object({
  centerCode: Str, name: L, kind: Str, waiting: Int, windowsOpen: Int, longestWaitMinutes: Int, estimatedWaitMinutes: Nullable(Int),
});

export const BoardOut = Type.Object({
  centerCode: Str, name: L, serviceDate: Str, lastEventId: Int,
  called: Type.Array(Type.Object({ number: Str, windowNo: Nullable(Int), status: Str, calledAt: Nullable(Str) })),
  windows: Type.Array(Type.Object({ windowNo: Int, isOpen: Type.Boolean(), ticketNumber: Nullable(Str) })),
  waitingByLetter: Type.Record(Type.String(), Type.Integer()),
});

export const EventsQuery = Type.Object({ lastEventId: Type.Optional(SafeInt({ minimum: 0 })) }, { additionalProperties: false });

export const SlotsQuery = Type.Object({
  service: ServiceCode,
  date: IsoDate,
  district: Type.Optional(Type.String({ pattern: '^[A-Z]{3}-[A-Z]{3}$' })),
  center: Type.Optional(CenterCode),
}, { additionalProperties: false });
export type SlotsQuery = Static<typeof SlotsQuery>;

export const SlotsOut = Type.Object({
  serviceCode: Str, date: Str,
  centers: Type.Array(Type.Object({
    centerCode: Str, name: L, servesDistrict: Type.Boolean(), sameRegion: Type.Boolean(),
    slots: Type.Array(Type.Object({ startsAt: Str, minutes: Int, free: Int })),
  })),
});

export const BookBody = Type.Object({
  centerCode: CenterCode,
  serviceCode: ServiceCode,
  startsAt: DateTime(),
  citizenId: Type.Optional(Id()),
}, { additionalProperties: false });
export type BookBody = Static<typeof BookBody>;

export const MoveBody = Type.Object({
  startsAt: DateTime(),
  centerCode: Type.Optional(CenterCode),
}, { additionalProperties: false });
export type MoveBody = Static<typeof MoveBody>;

export const AppointmentOut = Type.Object({
  confirmation: Str, centerCode: Str, serviceCode: Str, startsAt: Str, status: Str, citizenId: Nullable(Int), createdAt: Str,
});
export type AppointmentOut = Static<typeof AppointmentOut>;

/** A citizen's own appointment, with the names of its center and service. */
export const MyAppointmentOut = Type.Object({
  confirmation: Str, centerCode: Str, centerName: L, serviceCode: Str, serviceName: L, startsAt: Str, status: Str, createdAt: Str,
});
export const MyAppointmentsOut = Type.Object({
  /** Booked and not yet past: soonest first. */
  upcoming: Type.Array(MyAppointmentOut),
  /** The rest of the last 30 days (cancelled, checked in, missed, earlier today): newest first. */
  recent: Type.Array(MyAppointmentOut),
});

export const SurveyQuestion = Type.Object({ id: Int, kind: Type.Enum(['rating', 'text', 'yes_no']), text: L });
export const SurveyOut = Type.Object({
  ticketNumber: Str, centerCode: Str, serviceCode: Str, status: Str, answered: Type.Boolean(), questions: Type.Array(SurveyQuestion),
});
export const SurveyAnswerBody = Type.Object({
  rating: SafeInt({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Text({ maxLength: 1000 })),
  answers: Type.Optional(Type.Record(Type.String({ pattern: '^\\d{1,9}$' }), Type.Union([SafeInt({ minimum: 1, maximum: 5 }), Type.Boolean(), Text({ maxLength: 500 })]), { maxProperties: 20, additionalProperties: false })),
  channel: Type.Optional(Type.Enum(['kiosk', 'link', 'portal'])),
}, { additionalProperties: false });
export type SurveyAnswerBody = Static<typeof SurveyAnswerBody>;

/** Questions a center may ask at most (the database refuses more: migration 0014). */
export const MAX_SURVEY_QUESTIONS = 20;

export const SurveyQuestionsBody = Type.Object({
  questions: Type.Array(Type.Object({ kind: Type.Enum(['rating', 'text', 'yes_no']), text: LInput({ minLength: 1, maxLength: 300 }) }, { additionalProperties: false }), { maxItems: MAX_SURVEY_QUESTIONS }),
}, { additionalProperties: false });
export type SurveyQuestionsBody = Static<typeof SurveyQuestionsBody>;

export const SatisfactionQuery = Type.Object({ from: IsoDate, to: IsoDate }, { additionalProperties: false });
export const SatisfactionOut = Type.Object({
  from: Str, to: Str,
  centers: Type.Array(Type.Object({ centerCode: Str, responses: Int, avgRating: Nullable(Type.Number()), satisfiedPct: Nullable(Type.Number()) })),
});

export const RosterOut = Type.Object({ centerCode: Str, date: Str, entries: Type.Array(Type.Object({ windowNo: Int, userId: Str })) });
export const RosterBody = Type.Object({
  entries: Type.Array(Type.Object({ windowNo: SafeInt({ minimum: 1, maximum: 999 }), userId: Uuid() }, { additionalProperties: false }), { maxItems: 999 }),
}, { additionalProperties: false });
export type RosterBody = Static<typeof RosterBody>;

/**
 * A ticket as the public kiosk shows it: what is printed on the slip, nothing a stranger may not
 * know (no ids, no citizen, no operator). The kiosk's answer has this shape whether or not a FIN
 * was given and whether or not it is in the registry.
 */
export const PublicTicketOut = Type.Object({
  number: Str, centerCode: Str, serviceDate: Str, serviceCode: Str,
  status: Type.Enum([...TICKET_STATUSES]), priority: Type.Enum([...PRIORITIES]), issuedAt: Str, dueAt: Nullable(Str),
});
export const PublicIssuedTicketOut = Type.Object({
  ticket: PublicTicketOut,
  waitingAhead: Int,
  estimatedWaitMinutes: Nullable(Int),
  surveyToken: Str,
});

/** An appointment as its code's holder sees it on the public routes: no citizen id. */
export const PublicAppointmentOut = Type.Object({
  confirmation: Str, centerCode: Str, serviceCode: Str, startsAt: Str, status: Str, createdAt: Str,
});
