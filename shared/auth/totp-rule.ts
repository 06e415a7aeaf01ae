// The one TOTP rule of every side (RFC 6238 as authenticator apps show it): 6 digits, SHA-1, 30 s
// steps, a code accepted one step early or late (clock drift), each step's code accepted once. The
// hub checks codes at an online sign-in, the workstation at an offline one, both with otplib.
export const TOTP_STEP_SECONDS = 30;
export const TOTP_WINDOW_STEPS = 1;
export const TOTP_DIGITS = 6;
/** What a typed code looks like. */
export const TOTP_CODE_PATTERN = /^\d{6}$/;
