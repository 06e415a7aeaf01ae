// Which tab of which chart was open, kept in sessionStorage under the session's id (opaque ids
// only, never names), so the owner's PIN unlock — which reloads the page — reopens the same tab.
import { isChartTab, type ChartTabId } from './chart-tabs.js';

const keyOf = (sessionId: string): string => `wardline:${sessionId}:chart-tab`;

export function storedTab(sessionId: string, patientId: string): ChartTabId | null {
  try {
    const raw = sessionStorage.getItem(keyOf(sessionId));
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as { patientId?: unknown; tab?: unknown };
    return parsed.patientId === patientId && isChartTab(parsed.tab) ? parsed.tab : null;
  } catch {
    return null;
  }
}

export function storeTab(sessionId: string, patientId: string, tab: ChartTabId): void {
  try {
    sessionStorage.setItem(keyOf(sessionId), JSON.stringify({ patientId, tab }));
  } catch {
    // storage refused (private mode, quota): the chart simply opens on the Summary next time
  }
}
