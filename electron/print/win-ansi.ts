// Text for the PDF's standard fonts, which encode only WinAnsi (Latin-1 and a few more): a
// character the font has is kept, an accented one loses its accent (Č → C), a few have a readable
// stand-in (ł → l, ≥ → >=, µg → mcg), anything else becomes "?". Runs of white space become one space.

const STAND_INS: Readonly<Record<string, string>> = {
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ħ: 'h',
  Ħ: 'H',
  ı: 'i',
  ŀ: 'l',
  Ŀ: 'L',
  ŋ: 'n',
  Ŋ: 'N',
  ə: 'e',
  Ə: 'E',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2043': '-',
  '\u2212': '-',
  '\u2032': "'",
  '\u2033': '"',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2248': '~',
  '\u2192': '->',
  '\u2190': '<-',
  '\u00b9': '1',
  '\u2070': '0',
  '\u03bc': 'µ',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u2007': ' ',
};

export type WinAnsiText = (text: string) => string;

/** A sanitiser for a font that encodes the code points in `characterSet` (PDFFont.getCharacterSet()). */
export function winAnsiText(characterSet: Iterable<number>): WinAnsiText {
  const encodable = new Set(characterSet);
  const fits = (text: string): boolean => [...text].every((ch) => encodable.has(ch.codePointAt(0)!));
  const one = (ch: string): string => {
    if (encodable.has(ch.codePointAt(0)!)) return ch;
    const standIn = STAND_INS[ch];
    if (standIn !== undefined && fits(standIn)) return standIn;
    const bare = ch.normalize('NFD').replace(/\p{M}+/gu, '');
    if (bare.length > 0 && fits(bare)) return bare;
    return '?';
  };
  return (text) => {
    const spaced = text
      .normalize('NFC')
      .replace(/\p{Cf}/gu, '')
      .replace(/\s+/gu, ' ')
      .replace(/[µμ]g\b/gu, 'mcg');
    let out = '';
    for (const ch of spaced) out += one(ch);
    return out;
  };
}
