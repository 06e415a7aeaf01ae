// The chart's tabs and which a role sees: a tab whose category the role may not read is left out
// (a clerk sees only the Summary, cut to demographics and the admission by the host).
import type { ContractChartCategory, SessionViewData } from '../../../../shared/contract/index.js';
import { mayRead } from './role-permissions.js';

export type ChartTabId = 'summary' | 'vitals' | 'mar' | 'labs' | 'notes' | 'problems' | 'medications';

export const CHART_TABS: readonly { readonly id: ChartTabId; readonly label: string; readonly category: ContractChartCategory | null }[] = [
  { id: 'summary', label: 'Summary', category: null },
  { id: 'vitals', label: 'Vital signs', category: 'vital-signs' },
  { id: 'mar', label: 'MAR', category: 'medication' },
  { id: 'labs', label: 'Labs', category: 'laboratory' },
  { id: 'notes', label: 'Notes', category: 'notes' },
  { id: 'problems', label: 'Problems', category: 'problems' },
  { id: 'medications', label: 'Medications', category: 'medication' },
];

export function visibleTabs(role: SessionViewData['role']): typeof CHART_TABS {
  return CHART_TABS.filter((tab) => tab.category === null || mayRead(role, tab.category));
}

export function isChartTab(value: unknown): value is ChartTabId {
  return CHART_TABS.some((tab) => tab.id === value);
}
