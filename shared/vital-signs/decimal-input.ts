// Reading a number a nurse typed, by locale: "37,2" and "37.2" both read 37.2 wherever that cannot be
// anything else, and input that could be read two ways ("1,000": a thousand or one?) or is not a
// number is refused with a message, never silently misread (never "37,2" → 372).

export type DecimalReading = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

/** The decimal separator of a locale ("." for en-GB, "," for de-DE). */
export function decimalSeparatorOf(locale: string): string {
  const part = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal');
  return part?.value ?? '.';
}

const ASCII_DIGITS = /^[0-9]+$/;

/** The value of `text`, or why it cannot be read. Empty text is not a value: callers check first. */
export function parseDecimal(text: string, locale: string): DecimalReading {
  const trimmed = text.trim().replace(/[\u066B\u2396]/g, '.');
  if (trimmed.length === 0) return { ok: false, message: 'Enter a number.' };
  if (/^[+-]/.test(trimmed)) return { ok: false, message: 'Enter the value without a sign.' };
  const separators = trimmed.replace(/[0-9]/g, '');
  if (separators.length === 0 && ASCII_DIGITS.test(trimmed)) return { ok: true, value: Number(trimmed) };
  if (separators.length !== 1 || (separators !== '.' && separators !== ','))
    return { ok: false, message: `"${trimmed}" is not a number. Type digits with at most one decimal point or comma, e.g. 37.2.` };
  const [whole = '', fraction = ''] = trimmed.split(separators);
  if (!ASCII_DIGITS.test(whole) || !ASCII_DIGITS.test(fraction))
    return { ok: false, message: `"${trimmed}" is not a number. Type digits on both sides of the decimal sign, e.g. 37.2.` };
  // A separator that is not the locale's decimal sign, before exactly three digits, reads as a
  // thousands group in that locale ("1,000" in English, "1.000" in German): ambiguous.
  if (separators !== decimalSeparatorOf(locale) && fraction.length === 3)
    return {
      ok: false,
      message: `"${trimmed}" could be read two ways (a thousands separator or a decimal). Type it without the "${separators}" or with one decimal.`,
    };
  return { ok: true, value: Number(`${whole}.${fraction}`) };
}
