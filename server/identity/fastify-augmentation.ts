// What the identity room adds to Fastify's types: `request.principal` (set by `app.authenticate`,
// so only read it in routes that use that preHandler) and the `app.authenticate` preHandler.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from './principal.js';

export type AuthenticatePreHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyInstance {
    authenticate: AuthenticatePreHandler;
  }
}
