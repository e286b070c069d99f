import { format, type Locale, type Translated } from './i18n.ts';

/**
 * Every error the product reports, with its HTTP status and its message in each language.
 * One table: adding a code means adding its status and translations here, nowhere else.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, az: 'Məlumatlar düzgün deyil', ru: 'Данные заполнены неверно', en: 'The request is not valid' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, az: 'Idempotency-Key başlığı tələb olunur', ru: 'Требуется заголовок Idempotency-Key', en: 'An Idempotency-Key header is required' },
  UNAUTHENTICATED: { status: 401, az: 'Sistemə daxil olun', ru: 'Войдите в систему', en: 'Please sign in' },
  INVALID_CREDENTIALS: { status: 401, az: 'İstifadəçi adı və ya şifrə yanlışdır (bir neçə uğursuz cəhddən sonra bir az gözləyin)', ru: 'Неверное имя пользователя или пароль (после нескольких неудачных попыток подождите немного)', en: 'Wrong username or password (after several failed attempts, wait a few minutes)' },
  CSRF_FAILED: { status: 403, az: 'Sorğu təsdiqlənmədi (CSRF). Səhifəni yeniləyin', ru: 'Запрос не подтверждён (CSRF). Обновите страницу', en: 'Request not verified (CSRF). Reload the page' },
  FORBIDDEN: { status: 403, az: 'Bu əməliyyat üçün icazəniz yoxdur', ru: 'У вас нет прав на это действие', en: 'You are not allowed to do this' },
  NOT_FOUND: { status: 404, az: 'Tapılmadı: {what}', ru: 'Не найдено: {what}', en: 'Not found: {what}' },
  CONFLICT: { status: 409, az: 'Ziddiyyət: {what}', ru: 'Конфликт: {what}', en: 'Conflict: {what}' },
  SERVICE_NOT_OFFERED: { status: 409, az: 'Bu xidmət artıq göstərilmir', ru: 'Эта услуга больше не предоставляется', en: 'This service is no longer offered' },
  SERVICE_PROACTIVE: { status: 409, az: 'Bu xidmət müraciətsiz, reyestr məlumatları əsasında təyin olunur; müraciət etmək lazım deyil', ru: 'Эта услуга назначается без заявления, по данным реестра; подавать заявление не нужно', en: 'This service is assigned without an application, from registry data; there is no need to apply' },
  SERVICE_NOT_BY_PHONE: { status: 409, az: 'Bu xidmət telefonla göstərilmir: vətəndaş DOST mərkəzinə gəlməli və ya onlayn müraciət etməlidir', ru: 'Эта услуга не оказывается по телефону: гражданину нужно прийти в центр DOST или подать заявление онлайн', en: 'This service is not provided by phone: the citizen must come to a DOST center or apply online' },
  SERVICE_NOT_AT_CENTER: { status: 409, az: 'Bu xidmət DOST mərkəzində göstərilmir; onlayn müraciət edin', ru: 'Эта услуга не оказывается в центре DOST; подайте заявление онлайн', en: 'This service is not provided at a DOST center; apply online' },
  SERVICE_NOT_ONLINE: { status: 409, az: 'Bu xidmət onlayn göstərilmir; DOST mərkəzinə yaxınlaşın və ya 142 nömrəsinə zəng edin', ru: 'Эта услуга не оказывается онлайн; обратитесь в центр DOST или позвоните по номеру 142', en: 'This service is not provided online; visit a DOST center or call 142' },
  BENEFIT_ALREADY_ASSIGNED: { status: 409, az: 'Bu müavinət artıq təyin olunub ({from} tarixindən); yeni müraciət lazım deyil', ru: 'Эта выплата уже назначена (с {from}); новое заявление не нужно', en: 'This benefit is already assigned (since {from}); no new application is needed' },
  BENEFIT_OFFER_PENDING: { status: 409, az: 'Bu müavinət üçün artıq təklif var; onu “Müavinətlərim” bölməsində təsdiq etmək kifayətdir', ru: 'По этой выплате уже есть предложение; достаточно подтвердить его в разделе «Мои выплаты»', en: 'There is already an offer of this benefit; confirming it under “My benefits” is enough' },
  CENTER_CLOSED: { status: 409, az: 'Mərkəz hazırda bağlıdır; növbə talonu iş saatlarında verilir ({hours})', ru: 'Центр сейчас закрыт; талоны выдаются в часы работы ({hours})', en: 'The center is closed now; tickets are issued during opening hours ({hours})' },
  CENTER_CLOSED_TODAY: { status: 409, az: 'Mərkəz bu gün işləmir; növbə talonu iş günlərində verilir', ru: 'Сегодня центр не работает; талоны выдаются в рабочие дни', en: 'The center is not open today; tickets are issued on working days' },
  INVALID_TRANSITION: { status: 409, az: '“{action}” əməliyyatı “{status}” statusunda mümkün deyil', ru: 'Действие «{action}» невозможно в статусе «{status}»', en: 'Action “{action}” is not possible in status “{status}”' },
  HOUSEHOLD_HEAD_MUST_STAY: { status: 409, az: 'Başqa üzvlər qaldıqca ailə başçısı ailədən ayrıla bilməz; əvvəlcə yeni başçını təyin edin', ru: 'Глава семьи не может выйти из неё, пока остаются другие члены; сначала назначьте нового главу', en: 'The head cannot leave the household while others remain; name a new head first' },
  STALE_VERSION: { status: 409, az: 'Müraciət artıq dəyişib; yeniləyin', ru: 'Заявление уже изменено; обновите', en: 'The application changed meanwhile; reload it' },
  PAYLOAD_TOO_LARGE: { status: 413, az: 'Göndərilən məlumat çox böyükdür', ru: 'Слишком большой запрос', en: 'The request is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, az: 'Məlumat formatı dəstəklənmir', ru: 'Формат данных не поддерживается', en: 'Unsupported content type' },
  LIFE_EVENT_REFUSED: { status: 422, az: 'Hadisə reyestrin məlumatları ilə uyğun gəlmir', ru: 'Событие не согласуется с данными реестра', en: 'The event does not agree with the registry' },
  IDEMPOTENCY_MISMATCH: { status: 422, az: 'Bu açar başqa sorğu üçün istifadə olunub', ru: 'Этот ключ уже использован для другого запроса', en: 'This Idempotency-Key was used for a different request' },
  ACCOUNT_LOCKED: { status: 423, az: 'Hesab müvəqqəti bloklanıb; {minutes} dəqiqədən sonra yenidən cəhd edin', ru: 'Учётная запись временно заблокирована; попробуйте через {minutes} мин.', en: 'Account temporarily locked; try again in {minutes} minutes' },
  RATE_LIMITED: { status: 429, az: 'Çox sayda sorğu; bir az sonra yenidən cəhd edin', ru: 'Слишком много запросов; повторите позже', en: 'Too many requests; try again later' },
  INTERNAL: { status: 500, az: 'Daxili xəta baş verdi', ru: 'Внутренняя ошибка', en: 'Internal error' },
  UNAVAILABLE: { status: 503, az: 'Xidmət müvəqqəti əlçatan deyil', ru: 'Сервис временно недоступен', en: 'Service temporarily unavailable' },
} as const satisfies Record<string, { status: number } & Translated>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem with one input field; `field` is a JSON pointer (`/data/income`) or a CSV column. */
export interface ErrorDetail {
  field: string;
  code: string;
  message: string;
  line?: number;
}

/**
 * The one error type of the product. Services throw it; the HTTP layer maps its code to a status
 * and translates the message; unknown errors never reach the caller.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, unknown> = {},
    readonly details: ErrorDetail[] = [],
  ) {
    super(format(ERROR_CODES[code].en, params));
    this.status = ERROR_CODES[code].status;
  }

  /** The message in the caller's language. */
  localized(locale: Locale): string {
    return format(ERROR_CODES[this.code][locale], this.params);
  }
}

/** Shorthand for the most common error: input that breaks a rule, with the fields at fault. */
export function validationError(details: ErrorDetail[]): AppError {
  return new AppError('VALIDATION_FAILED', {}, details);
}

/** Not-found error naming what was missing. */
export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', { what });
}
