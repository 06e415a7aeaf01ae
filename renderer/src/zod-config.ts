// Configures zod for the renderer before any schema is built: the page's CSP forbids eval, so
// zod must not try its JIT (new Function). main.tsx imports this module first.
import { z } from 'zod';

z.config({ jitless: true });
