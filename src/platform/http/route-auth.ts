import type { Role } from '../context.ts';

/**
 * Who may call a route. Every route declares it in `config.auth`; the server refuses to start
 * with a route that does not, so no endpoint is left open by omission.
 * - 'public': anyone, signed in or not.
 * - 'authenticated': any signed-in user (the service may narrow it further).
 * - Role[]: users holding one of these roles.
 */
export type RouteAuth = 'public' | 'authenticated' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
}
