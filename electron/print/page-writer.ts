// Lays text out on A4 landscape pages with pdf-lib: a confidentiality header and a running header
// (the patient) on every page, wrapped paragraphs, tables that break across pages with their
// header row repeated, and at the end the footer of every page (the mark, "Page n of N").
import { rgb, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import type { WinAnsiText } from './win-ansi.js';

/** A4 landscape, in points. */
export const PAGE_SIZE: [number, number] = [841.89, 595.28];
const [PAGE_WIDTH, PAGE_HEIGHT] = PAGE_SIZE;
const MARGIN_X = 36;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
const CONTENT_TOP = PAGE_HEIGHT - 76;
const CONTENT_BOTTOM = 46;
const CELL_PADDING = 3;
/** At most this many lines of allergies, code status and alerts under every page's header. */
const SAFETY_LINES = 3;
const RULE = rgb(0.6, 0.6, 0.6);
const SHADE = rgb(0.9, 0.9, 0.9);
const BLACK = rgb(0, 0, 0);

export const CONFIDENTIAL = 'CONFIDENTIAL — contains patient information';
const DOCUMENT_TITLE = 'Wardline — downtime MAR and medication list';

export interface Fonts {
  readonly regular: PDFFont;
  readonly bold: PDFFont;
}

export interface TextStyle {
  readonly size?: number;
  readonly bold?: boolean;
  /** Extra space before, in points. */
  readonly spaceBefore?: number;
}

export interface TableColumn {
  readonly title: string;
  /** Share of the content width (the shares of a table add up to 1). */
  readonly share: number;
  /** Left blank when the row above, on the same page, belongs to the same group. */
  readonly carry?: boolean;
  /** A blank box to fill in by hand (given by, time). */
  readonly signBox?: boolean;
}

export interface TableRow {
  readonly cells: readonly string[];
  /** Rows of one group (e.g. one medication order) share their carried columns. */
  readonly group?: string;
  /** Room for handwriting: at least this many lines high. */
  readonly minLines?: number;
}

/** Splits `text` into lines no wider than `width`; a word longer than a line is cut. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  const fits = (candidate: string): boolean => font.widthOfTextAtSize(candidate, size) <= width;
  for (const word of text.split(' ').filter((w) => w.length > 0)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    let rest = word;
    while (!fits(rest)) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut -= 1;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

export class PageWriter {
  private readonly pages: PDFPage[] = [];
  private page: PDFPage | null = null;
  private y = CONTENT_TOP;
  private runningHeader = '';
  private safetyLine = '';

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Fonts,
    private readonly clean: WinAnsiText,
  ) {}

  get pageCount(): number {
    return this.pages.length;
  }

  /** Starts a new page whose running header is `header` (e.g. the patient's name, MRN, bed) and,
   *  under it on every page, `safety` (allergies, code status, alerts) when given. */
  startSection(header: string, safety = ''): void {
    this.runningHeader = this.clean(header);
    this.safetyLine = this.clean(safety);
    this.addPage(false);
  }

  /** A line of text, wrapped to the content width. */
  paragraph(text: string, style: TextStyle = {}): void {
    const size = style.size ?? 9;
    const font = style.bold === true ? this.fonts.bold : this.fonts.regular;
    const lineHeight = size * 1.3;
    this.y -= style.spaceBefore ?? 0;
    for (const line of wrapText(this.clean(text), font, size, CONTENT_WIDTH)) {
      this.ensure(lineHeight);
      this.y -= lineHeight;
      this.current().drawText(line, { x: MARGIN_X, y: this.y + size * 0.25, size, font, color: BLACK });
    }
  }

  /** Text in a box with a heavier border: what a reader must not miss (e.g. no allergies recorded). */
  notice(text: string): void {
    const size = 10;
    const lineHeight = size * 1.3;
    const lines = wrapText(this.clean(text), this.fonts.bold, size, CONTENT_WIDTH - 2 * CELL_PADDING - 4);
    const height = lines.length * lineHeight + 2 * CELL_PADDING + 4;
    this.y -= 4;
    this.ensure(height);
    const page = this.current();
    page.drawRectangle({ x: MARGIN_X, y: this.y - height, width: CONTENT_WIDTH, height, borderColor: BLACK, borderWidth: 1.5 });
    let lineY = this.y - CELL_PADDING - 2;
    for (const line of lines) {
      lineY -= lineHeight;
      page.drawText(line, { x: MARGIN_X + CELL_PADDING + 2, y: lineY + size * 0.25, size, font: this.fonts.bold, color: BLACK });
    }
    this.y -= height;
  }

  /** A table that continues on the next page (header row repeated) when it does not fit. */
  table(columns: readonly TableColumn[], rows: readonly TableRow[]): void {
    const size = 8.5;
    const lineHeight = size * 1.25;
    const widths = columns.map((c) => c.share * CONTENT_WIDTH);
    const cellLines = (cells: readonly string[], font: PDFFont): string[][] =>
      cells.map((cell, i) => wrapText(this.clean(cell), font, size, widths[i]! - 2 * CELL_PADDING));
    const heightOf = (lines: readonly string[][], minLines = 1): number =>
      Math.max(minLines, ...lines.map((l) => l.length)) * lineHeight + 2 * CELL_PADDING;
    const headerLines = cellLines(
      columns.map((c) => c.title),
      this.fonts.bold,
    );
    const headerHeight = heightOf(headerLines);
    let previousGroup: string | undefined;
    let headerDrawn = false;

    const drawRow = (lines: readonly string[][], height: number, font: PDFFont, shaded: boolean): void => {
      const page = this.current();
      if (shaded) page.drawRectangle({ x: MARGIN_X, y: this.y - height, width: CONTENT_WIDTH, height, color: SHADE });
      let x = MARGIN_X;
      lines.forEach((cell, i) => {
        // A box to sign in by hand: a heavy border, so it shows on a black-and-white copy.
        if (columns[i]?.signBox === true && font !== this.fonts.bold)
          page.drawRectangle({
            x: x + 1,
            y: this.y - height + 1,
            width: widths[i]! - 2,
            height: height - 2,
            borderColor: BLACK,
            borderWidth: 0.9,
          });
        cell.forEach((line, n) => {
          page.drawText(line, {
            x: x + CELL_PADDING,
            y: this.y - CELL_PADDING - (n + 1) * lineHeight + size * 0.3,
            size,
            font,
            color: BLACK,
          });
        });
        x += widths[i]!;
      });
      this.y -= height;
      page.drawLine({ start: { x: MARGIN_X, y: this.y }, end: { x: MARGIN_X + CONTENT_WIDTH, y: this.y }, thickness: 0.5, color: RULE });
    };
    const drawHeader = (): void => {
      drawRow(headerLines, headerHeight, this.fonts.bold, true);
      headerDrawn = true;
      previousGroup = undefined;
    };

    for (const row of rows) {
      const cells = row.cells.map((cell, i) =>
        columns[i]?.carry === true && row.group !== undefined && row.group === previousGroup ? '' : cell,
      );
      let lines = cellLines(cells, this.fonts.regular);
      let height = heightOf(lines, row.minLines);
      if (!headerDrawn || !this.fits(height)) {
        if (!this.fits(headerHeight + height)) {
          this.addPage(true);
          // The group's carried cells are shown again on the new page.
          lines = cellLines(row.cells, this.fonts.regular);
          height = heightOf(lines, row.minLines);
        }
        drawHeader();
      }
      const room = this.y - CONTENT_BOTTOM;
      if (height > room) {
        const keep = Math.max(1, Math.floor((room - 2 * CELL_PADDING) / lineHeight));
        lines = lines.map((cell) => (cell.length > keep ? [...cell.slice(0, keep - 1), `${cell[keep - 1] ?? ''}…`] : cell));
        height = heightOf(lines, row.minLines);
      }
      drawRow(lines, height, this.fonts.regular, false);
      previousGroup = row.group;
    }
    if (!headerDrawn) drawHeader();
  }

  /** Draws every page's footer: `mark` on the left, "Page n of N" on the right. */
  finish(mark: string): number {
    const text = this.clean(mark);
    const total = this.pages.length;
    this.pages.forEach((page, index) => {
      page.drawLine({ start: { x: MARGIN_X, y: 36 }, end: { x: PAGE_WIDTH - MARGIN_X, y: 36 }, thickness: 0.5, color: RULE });
      page.drawText(text, { x: MARGIN_X, y: 24, size: 8, font: this.fonts.regular, color: BLACK });
      const label = `Page ${index + 1} of ${total}`;
      page.drawText(label, {
        x: PAGE_WIDTH - MARGIN_X - this.fonts.regular.widthOfTextAtSize(label, 8),
        y: 24,
        size: 8,
        font: this.fonts.regular,
        color: BLACK,
      });
    });
    return total;
  }

  private current(): PDFPage {
    if (this.page === null) this.addPage(false);
    return this.page!;
  }

  private fits(height: number): boolean {
    return this.page !== null && this.y - height >= CONTENT_BOTTOM;
  }

  private ensure(height: number): void {
    if (!this.fits(height)) this.addPage(true);
  }

  private addPage(continued: boolean): void {
    const page = this.doc.addPage(PAGE_SIZE);
    this.pages.push(page);
    this.page = page;
    const top = PAGE_HEIGHT - 28;
    page.drawText(CONFIDENTIAL, { x: MARGIN_X, y: top, size: 9, font: this.fonts.bold, color: BLACK });
    const title = DOCUMENT_TITLE;
    page.drawText(title, {
      x: PAGE_WIDTH - MARGIN_X - this.fonts.regular.widthOfTextAtSize(title, 9),
      y: top,
      size: 9,
      font: this.fonts.regular,
      color: BLACK,
    });
    page.drawLine({ start: { x: MARGIN_X, y: top - 6 }, end: { x: PAGE_WIDTH - MARGIN_X, y: top - 6 }, thickness: 0.5, color: RULE });
    const header = continued ? `${this.runningHeader} (continued)` : this.runningHeader;
    const line = wrapText(header, this.fonts.bold, 10, CONTENT_WIDTH)[0] ?? '';
    page.drawText(line, { x: MARGIN_X, y: top - 22, size: 10, font: this.fonts.bold, color: BLACK });
    let ruleY = top - 30;
    if (this.safetyLine !== '') {
      const lines = wrapText(this.safetyLine, this.fonts.bold, 8.5, CONTENT_WIDTH).slice(0, SAFETY_LINES);
      lines.forEach((text, n) =>
        page.drawText(text, { x: MARGIN_X, y: top - 34 - n * 11, size: 8.5, font: this.fonts.bold, color: BLACK }),
      );
      ruleY = top - 38 - (lines.length - 1) * 11;
    }
    page.drawLine({ start: { x: MARGIN_X, y: ruleY }, end: { x: PAGE_WIDTH - MARGIN_X, y: ruleY }, thickness: 0.5, color: RULE });
    this.y = Math.min(CONTENT_TOP, ruleY - 8);
  }
}
