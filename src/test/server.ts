import type { Role } from '../platform/context.ts';
import { createTestApp, type TestApp } from './app.ts';
import { createCitizen, createHousehold, createUser, findApplicableService } from './factories.ts';

/** A login for one role. */
export interface TestLogin {
  username: string;
  password: string;
}

/** The product listening on a loopback port over a throw-away database, for browser tests. */
export interface TestServer {
  url: string;
  logins: Record<Role, TestLogin>;
  demo: { citizenFin: string; citizenId: number; serviceCode: string };
  app: TestApp;
  close(): Promise<void>;
}

/**
 * Starts the whole product (API and the built web app from web/dist) on 127.0.0.1 with a random
 * port, one user per role with known passwords, and a citizen with a household to act on.
 */
export async function startTestServer(): Promise<TestServer> {
  const t = await createTestApp();
  const db = t.ctx.db;
  const citizen = await createCitizen(db, { first_name: 'Günay', last_name: 'Həsənova', patronymic: 'Elçin qızı', sex: 'F', birth_date: '1988-02-14', district_code: 'BAK-YAS' });
  const child = await createCitizen(db, { first_name: 'Aydan', last_name: 'Həsənova', sex: 'F', birth_date: '2019-09-01' });
  await createHousehold(db, [{ citizenId: citizen.citizen_id, relation: 'head' }, { citizenId: child.citizen_id, relation: 'child' }]);
  await db.insertInto('life_events').values([
    { citizen_id: citizen.citizen_id, type: 'birth', occurred_on: '1988-02-14', source: 'civil_registry', data: '{}' },
    { citizen_id: citizen.citizen_id, type: 'employment_start', occurred_on: '2015-03-01', source: 'e-labour-contracts', data: JSON.stringify({ employer: 'Azərsu ASC', wageAzn: 950 }) },
  ]).execute();
  const password = 'Test-password-2026';
  const roles: Role[] = ['citizen', 'operator', 'officer', 'center_manager', 'call_center_agent', 'analyst', 'admin'];
  const logins = {} as Record<Role, TestLogin>;
  for (const role of roles) {
    const username = role === 'center_manager' ? 'manager' : role === 'call_center_agent' ? 'agent142' : role;
    await createUser(db, {
      username, password, roles: [role], displayName: role === 'citizen' ? 'Həsənova Günay' : `Test ${role}`,
      citizenId: role === 'citizen' ? citizen.citizen_id : null,
      centerCode: role === 'operator' || role === 'center_manager' ? 'BAKU-1' : null,
    });
    logins[role] = { username, password };
  }
  const service = await findApplicableService(db);
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    logins,
    demo: { citizenFin: citizen.fin, citizenId: citizen.citizen_id, serviceCode: service.service_code },
    app: t,
    close: () => t.close(),
  };
}
