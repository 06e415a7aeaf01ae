// Accessibility check of the screen on show with axe-core (@axe-core/playwright): the test fails
// on any serious or critical violation, naming the rule and the elements (selectors, not text).
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const BLOCKING = new Set(['serious', 'critical']);

/** The serious and critical axe violations on the page now, one line each. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => BLOCKING.has(violation.impact ?? ''))
    .map((violation) => {
      const where = violation.nodes
        .slice(0, 4)
        .map((node) => node.target.join(' '))
        .join(' | ');
      return `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.length} element(s): ${where}`;
    });
}

/** Fails when axe finds a serious or critical violation on `screen`. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  expect(await seriousA11yViolations(page), `axe on the ${screen} screen`).toEqual([]);
}
