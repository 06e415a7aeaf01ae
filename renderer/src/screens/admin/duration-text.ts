// A policy duration in words: "5 minutes", "12 hours", "1 hour 30 minutes", "30 days".

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function durationText(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < MINUTE) return plural(Math.round(ms / 1000), 'second');
  if (ms % DAY === 0) return plural(ms / DAY, 'day');
  const hours = Math.floor(ms / HOUR);
  const minutes = Math.round((ms % HOUR) / MINUTE);
  if (hours === 0) return plural(minutes, 'minute');
  if (hours >= 48 && minutes === 0 && hours % 24 !== 0) return plural(hours, 'hour');
  return minutes === 0 ? plural(hours, 'hour') : `${plural(hours, 'hour')} ${plural(minutes, 'minute')}`;
}
