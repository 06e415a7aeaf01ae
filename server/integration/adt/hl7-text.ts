// HL7 v2 escape sequences (v2.5 section 2.7) in the text of one field component, read with the
// message's own delimiters (MSH-1, MSH-2) and character set (MSH-18): `\F\ \S\ \T\ \R\ \E\` are
// the delimiters as text, `\Xhh…\` bytes in the message's character set; formatting (`\H\ \N\`,
// `\.br\`, `\.sp\`, …) keeps the text and drops the formatting (a line break or skip becomes one
// space). An escape the hub cannot read (`\Z…\` locally defined, `\C…\`/`\M…\` character-set
// switches, an unknown or unfinished one), hex that is not valid in the character set, or a decoded
// control character is refused (AR 102): a name or code is never stored other than the sender meant.
// @medplum/core's parser splits fields and components but leaves escapes as written.
import type { Hl7Context } from '@medplum/core';
import { AdtError } from './adt-error.js';

/** MSH-18 values (HL7 table 0211) of the single-byte character sets the hub reads, and their decoders (else UTF-8). */
export const SINGLE_BYTE_CHARSETS: Readonly<Record<string, string>> = { '8859/1': 'latin1', '8859/15': 'iso-8859-15' };

/** The decoder (TextDecoder label) of an MSH-18 value. */
export function charsetDecoder(msh18: string): string {
  return SINGLE_BYTE_CHARSETS[msh18.trim().toUpperCase()] ?? 'utf-8';
}

/** Formatting commands (HL7 FT): a line break, space or skip becomes a space; the others are dropped. */
const SPACING = /^\.(br|sp[+-]?\d*|sk[+-]?\d*)$/;
const FORMATTING = /^(H|N|\.(fi|nf|ce|in[+-]?\d*|ti[+-]?\d*))$/;
const HEX = /^X((?:[0-9A-Fa-f]{2})+)$/;
// Controls, as decoded text (a CR or NUL in a name would break whatever prints it).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface Hl7TextContext {
  readonly delimiters: Hl7Context;
  /** TextDecoder label of the message's character set (charsetDecoder of MSH-18). */
  readonly decoder: string;
}

function unreadable(where: string, why: string): AdtError {
  return new AdtError('BAD_VALUE', `${where} holds ${why}; the message was not applied.`, where);
}

function hexText(hex: string, decoder: string, where: string): string {
  const bytes = Buffer.from(hex, 'hex');
  try {
    return new TextDecoder(decoder, { fatal: true }).decode(bytes);
  } catch {
    throw unreadable(where, 'an escaped hexadecimal sequence (\\X…\\) that is not text in the message character set (MSH-18)');
  }
}

/**
 * The text of `raw` (one component or subcomponent as the parser split it) with its escape sequences
 * decoded; `where` (e.g. `PID-5`) names the field in a refusal.
 */
export function unescapeHl7(raw: string, context: Hl7TextContext, where: string): string {
  const d = context.delimiters;
  const escape = d.escapeCharacter;
  if (!escape || !raw.includes(escape)) return raw;
  const delimiters: Record<string, string> = {
    F: d.fieldSeparator,
    S: d.componentSeparator,
    T: d.subcomponentSeparator,
    R: d.repetitionSeparator,
    E: escape,
  };
  let out = '';
  let formatted = false;
  let at = 0;
  for (;;) {
    const start = raw.indexOf(escape, at);
    if (start < 0) break;
    const end = raw.indexOf(escape, start + 1);
    if (end < 0) throw unreadable(where, 'an escape sequence that is not closed');
    out += raw.slice(at, start);
    const sequence = raw.slice(start + 1, end);
    const delimiter = delimiters[sequence];
    const hex = HEX.exec(sequence);
    if (delimiter !== undefined) out += delimiter;
    else if (hex) out += hexText(hex[1]!, context.decoder, where);
    else if (SPACING.test(sequence)) {
      out += ' ';
      formatted = true;
    } else if (FORMATTING.test(sequence)) formatted = true;
    else throw unreadable(where, 'an escape sequence the hub does not read (locally defined, a character-set switch, or unknown)');
    at = end + 1;
  }
  out += raw.slice(at);
  if (CONTROL.test(out)) throw unreadable(where, 'an escaped control character');
  // Formatting gone, its spaces are one space each between words.
  return formatted ? out.replace(/\s+/g, ' ').trim() : out;
}
