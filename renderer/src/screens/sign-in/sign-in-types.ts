// The sign-in answer's type, taken from the contract's schema.
import type { z } from 'zod';
import type { signInResultSchema } from '../../../../shared/contract/index.js';

export type SignInResultData = z.infer<typeof signInResultSchema>;
