import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { createUser } from '../../test/factories.ts';
import type { Role } from '../../platform/context.ts';

/** A weekday morning in Baku (10:00), used as "now" by the queue tests. */
export const MORNING = '2026-11-24T06:00:00Z';
export const CENTER = 'BAKU-1';
/** Services in three different groups (letters), all delivered at centers. */
export const SVC = { ref: '99-01-01-00', labour: '99-02-01-00', disability: '99-03-01-00' } as const;

export interface QueueTestApp extends TestApp {
  token(role: Role, centerCode?: string | null): Promise<string>;
  as(token: string | undefined, method: string, url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

/** The app with the clock at MORNING and helpers to act as staff through bearer tokens. */
export async function createQueueTestApp(): Promise<QueueTestApp> {
  const t = await createTestApp();
  t.setNow(MORNING);
  const cache = new Map<string, string>();
  const as: QueueTestApp['as'] = (token, method, url, payload, headers = {}) => t.app.inject({
    method: method as 'GET', url,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(method === 'POST' && { 'idempotency-key': crypto.randomUUID() }), ...headers },
    ...(payload !== undefined && { payload: payload as object }),
  });
  return Object.assign(t, {
    as,
    async token(role: Role, centerCode: string | null = CENTER) {
      const key = `${role}/${centerCode}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const u = await createUser(t.ctx.db, { roles: [role], centerCode });
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { username: u.username, password: u.password } });
      const token = (r.json() as { token: string }).token;
      cache.set(key, token);
      return token;
    },
  });
}

/**
 * The public kiosk's answer carries no ticket id (a stranger's slip shows only what is printed on
 * it); staff routes take the id, so tests look it up by the slip's survey token.
 */
export async function withTicketId<T extends { ticket: object; surveyToken: string }>(t: TestApp, issued: T): Promise<T & { ticket: { id: number } }> {
  const row = await t.ctx.db.selectFrom('queue_tickets').select('ticket_id').where('survey_token', '=', issued.surveyToken).executeTakeFirstOrThrow();
  return { ...issued, ticket: { ...issued.ticket, id: row.ticket_id } };
}
