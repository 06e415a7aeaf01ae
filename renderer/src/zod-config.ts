// Configures zod for the renderer before any schema is built: the page's CSP forbids eval, so
// zod must not try its JIT (new Function). main.tsx imports this module first. Only zod's core
// `config` is imported, so the page's small entry does not carry the rest of zod.
import { config } from 'zod/v4/core';

config({ jitless: true });
