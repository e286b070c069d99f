/** Identity module: users, roles, passwords, sessions and bearer tokens. */
export { identityRoutes } from './routes.ts';
export { createUser, resolveSession, authenticate, openSession } from './service.ts';
export { hashPassword } from './password.ts';
