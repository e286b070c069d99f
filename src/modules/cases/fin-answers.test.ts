import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { body, createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen, createUser } from '../../test/factories.ts';
import type { FieldOut } from '../catalog/index.ts';
import { sampleAnswers } from './sample-answers.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(() => t.close());

test('a FIN typed in lower case in a form is accepted and stored upper-case', async () => {
  const svc = await t.ctx.db.selectFrom('services').select(['service_code', 'form']).where('service_code', '=', '99-02-01-00').executeTakeFirstOrThrow();
  const fields = body<{ form: { fields: FieldOut[] } }>(await t.app.inject({ url: `/api/catalog/services/${svc.service_code}` })).form.fields;
  const finField = fields.find((f) => f.type === 'fin' && !f.prefill)!;
  const employee = await createCitizen(t.ctx.db);
  const c = await createCitizen(t.ctx.db);
  const u = await createUser(t.ctx.db, { roles: ['citizen'], citizenId: c.citizen_id });
  const h = await t.login(u.username, u.password);
  const res = await t.app.inject({
    method: 'POST', url: '/api/applications', headers: { ...h, 'idempotency-key': crypto.randomUUID() },
    payload: { serviceCode: svc.service_code, data: { ...sampleAnswers(fields), [finField.name]: employee.fin.toLowerCase() } },
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(body<{ data: Record<string, unknown> }>(res).data[finField.name], employee.fin);
});
