import type { Db } from '../../platform/db.ts';

/** Audit entries matching the filters, newest first, with the citizen's FIN. */
export async function searchAudit(db: Db, f: { fin?: string; actor?: string; action?: string; from?: string; to?: string; limit: number; offset: number }) {
  let q = db.selectFrom('audit_log as a').leftJoin('citizens as c', 'c.citizen_id', 'a.citizen_id');
  if (f.fin) q = q.where('c.fin', '=', f.fin);
  if (f.actor) q = q.where('a.actor_username', '=', f.actor.toLowerCase());
  if (f.action) q = q.where('a.action', 'like', `${f.action.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  if (f.from) q = q.where('a.at', '>=', new Date(`${f.from}T00:00:00+04:00`));
  if (f.to) q = q.where('a.at', '<', new Date(new Date(`${f.to}T00:00:00+04:00`).getTime() + 86_400_000));
  const [rows, total] = await Promise.all([
    q.selectAll('a').select('c.fin').orderBy('a.audit_id', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}
