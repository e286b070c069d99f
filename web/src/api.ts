/** The one HTTP client for the dost API (docs/api.md). */
import i18n from './i18n/index.ts';
import type {
  ActionInput,
  AdminUser,
  Application,
  ApplicationSummary,
  AuditEntry,
  Category,
  Center,
  Citizen,
  CitizenSummary,
  ImportReport,
  Lang,
  Page,
  Region,
  Role,
  ServiceDetail,
  ServiceSummary,
  Session,
} from './types.ts';

export interface ErrorDetail {
  field?: string;
  code?: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /**
   * Per-field messages keyed by field name, for details whose JSON pointer starts with `prefix`
   * (e.g. prefix "/data/" turns "/data/income" into "income").
   */
  fieldErrors(prefix = '/'): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      if (!d.field?.startsWith(prefix)) continue;
      const name = d.field.slice(prefix.length).split('/')[0];
      if (name && !(name in out)) out[name] = d.message;
    }
    return out;
  }
}

let csrfToken: string | null = null;

/** Remembered from /api/auth/me and /api/auth/login; sent on every non-GET request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Query = Record<string, string | number | boolean | null | undefined>;

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function currentLang(): Lang {
  const lang = (i18n.resolvedLanguage ?? i18n.language ?? 'az').slice(0, 2);
  return lang === 'ru' || lang === 'en' ? lang : 'az';
}

async function toApiError(res: Response): Promise<ApiError> {
  let payload: unknown = null;
  try {
    payload = await res.json();
  } catch {
    /* not JSON */
  }
  const p = (payload ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
  const code = typeof p.code === 'string' ? p.code : res.status >= 500 ? 'INTERNAL' : `HTTP_${res.status}`;
  const message = typeof p.message === 'string' && p.message ? p.message : res.statusText || code;
  const details = Array.isArray(p.details) ? (p.details as ErrorDetail[]) : [];
  return new ApiError(res.status, code, message, details);
}

async function send(path: string, opts: RequestOptions): Promise<Response> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': currentLang(),
    ...opts.headers,
  };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return fetch(path + buildQuery(opts.query), {
    method,
    headers,
    body,
    credentials: 'same-origin',
    signal: opts.signal,
  });
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await send(path, opts);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', i18n.t('errors.NETWORK'));
  }
  if (res.status === 403 && (opts.method ?? 'GET') !== 'GET') {
    const err = await toApiError(res);
    if (err.code !== 'CSRF_FAILED') throw err;
    // The token may have rotated (new session in another tab): fetch it again and retry once.
    const me = await request<Session>('/api/auth/me');
    setCsrfToken(me.csrfToken);
    res = await send(path, opts);
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

// ---- endpoints -------------------------------------------------------------------------------

export interface ListParams {
  page?: number;
  pageSize?: number;
  sort?: string;
}

export const api = {
  // auth
  me: async (): Promise<Session | null> => {
    try {
      const s = await request<Session>('/api/auth/me');
      setCsrfToken(s.csrfToken);
      return s;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        setCsrfToken(null);
        return null;
      }
      throw e;
    }
  },
  login: async (username: string, password: string): Promise<Session> => {
    const s = await request<Session>('/api/auth/login', { method: 'POST', body: { username, password } });
    setCsrfToken(s.csrfToken);
    return s;
  },
  logout: async (): Promise<void> => {
    try {
      await request<void>('/api/auth/logout', { method: 'POST' });
    } finally {
      setCsrfToken(null);
    }
  },

  // catalog and reference data
  categories: () => request<{ items: Category[] }>('/api/catalog/categories'),
  services: (q: { q?: string; category?: string; channel?: string } & ListParams) =>
    request<Page<ServiceSummary>>('/api/catalog/services', { query: { ...q } }),
  service: (code: string) => request<ServiceDetail>(`/api/catalog/services/${encodeURIComponent(code)}`),
  prefill: (code: string, citizenId?: number) =>
    request<{ values: Record<string, unknown> }>(`/api/catalog/services/${encodeURIComponent(code)}/prefill`, {
      query: { citizenId },
    }),
  regions: () => request<{ items: Region[] }>('/api/reference/regions'),
  centers: () => request<{ items: Center[] }>('/api/reference/centers'),

  // registry
  myRecord: () => request<Citizen>('/api/citizens/me'),
  findCitizens: (fin: string) => request<{ items: CitizenSummary[] }>('/api/citizens', { query: { fin } }),
  citizen: (id: number) => request<Citizen>(`/api/citizens/${id}`),

  // applications
  createApplication: (
    body: { serviceCode: string; data: Record<string, unknown>; citizenId?: number; centerCode?: string },
    idempotencyKey: string,
  ) =>
    request<Application>('/api/applications', {
      method: 'POST',
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
    }),
  myApplications: (q: { status?: string } & ListParams) =>
    request<Page<ApplicationSummary>>('/api/applications/mine', { query: { ...q } }),
  inbox: (q: {
    service?: string;
    status?: string;
    center?: string;
    assignee?: string;
    sla?: string;
    citizenId?: number;
    q?: string;
  } & ListParams) => request<Page<ApplicationSummary>>('/api/applications', { query: { ...q } }),
  application: (reference: string) => request<Application>(`/api/applications/${encodeURIComponent(reference)}`),
  act: (reference: string, input: ActionInput) =>
    request<Application>(`/api/applications/${encodeURIComponent(reference)}/actions`, {
      method: 'POST',
      body: input,
    }),

  // admin
  users: (q: { q?: string; role?: string } & ListParams) =>
    request<Page<AdminUser>>('/api/admin/users', { query: { ...q } }),
  createUser: (body: {
    username: string;
    displayName: string;
    password: string;
    roles: Role[];
    centerCode?: string;
    citizenId?: number;
    locale: Lang;
  }) => request<AdminUser>('/api/admin/users', { method: 'POST', body }),
  updateUser: (
    id: string,
    body: Partial<{ displayName: string; roles: Role[]; disabled: boolean; centerCode: string | null; password: string; locale: Lang }>,
  ) => request<AdminUser>(`/api/admin/users/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  audit: (q: { fin?: string; actor?: string; action?: string; from?: string; to?: string } & ListParams) =>
    request<Page<AuditEntry>>('/api/admin/audit', { query: { ...q } }),
  importCitizens: (file: File, skipInvalid: boolean) => {
    const form = new FormData();
    form.append('file', file);
    return request<ImportReport>('/api/admin/import/citizens', {
      method: 'POST',
      query: { skipInvalid },
      body: form,
    });
  },
};

/** Idempotency keys for a create: the same key while the same body is retried, a new one otherwise. */
export class IdempotencyKeys {
  private last: { body: string; key: string } | null = null;

  keyFor(body: unknown): string {
    const json = JSON.stringify(body);
    if (this.last?.body !== json) this.last = { body: json, key: crypto.randomUUID() };
    return this.last.key;
  }

  /** Forget the key after a definite answer, so the next submit is a new create. */
  reset(): void {
    this.last = null;
  }
}
