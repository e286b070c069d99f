import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

/**
 * Audit entries matching the filters, newest first, with the citizen's FIN for single-subject
 * rows. A FIN finds the rows about that person alone (citizen_id) and the rows that named them
 * among others (citizen_ids, through its GIN index).
 */
export async function searchAudit(db: Db, f: { fin?: string; actor?: string; action?: string; from?: string; to?: string; limit: number; offset: number }) {
  let q = db.selectFrom('audit_log as a').leftJoin('citizens as c', 'c.citizen_id', 'a.citizen_id');
  if (f.fin) {
    const subject = db.selectFrom('citizens').select('citizen_id').where('fin', '=', f.fin);
    q = q.where((eb) => eb.or([
      eb('a.citizen_id', 'in', subject),
      eb.and([eb('a.citizen_id', 'is', null), sql<boolean>`a.citizen_ids @> array[(${subject})]::bigint[]`]),
    ]));
  }
  if (f.actor) q = q.where('a.actor_username', '=', f.actor.toLowerCase());
  if (f.action) q = q.where('a.action', 'like', `${f.action.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  if (f.from) q = q.where('a.at', '>=', new Date(`${f.from}T00:00:00+04:00`));
  if (f.to) q = q.where('a.at', '<', new Date(new Date(`${f.to}T00:00:00+04:00`).getTime() + 86_400_000));
  const [rows, total] = await Promise.all([
    q.select(['a.audit_id', 'a.at', 'a.actor_username', 'a.actor_roles', 'a.action', 'a.citizen_id', 'a.citizen_ids', 'a.resource', 'a.purpose', 'a.ip', 'a.seq'])
      .select('c.fin').orderBy('a.audit_id', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}
