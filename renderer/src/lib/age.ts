// A patient's age from a FHIR birth date (YYYY, YYYY-MM or YYYY-MM-DD) on a given day, and its
// short and spoken forms ("67 y" / "67 years"; months under 2 years, days under a month).

export interface Age {
  readonly years: number;
  readonly months: number;
  readonly days: number;
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** Whole years, months and days between `birthDate` and the local calendar day of `today`; null when unreadable or in the future. */
export function ageOn(birthDate: string, today: Date): Age | null {
  const match = DATE.exec(birthDate.trim());
  if (match === null) return null;
  const by = Number(match[1]);
  const bm = match[2] === undefined ? 1 : Number(match[2]);
  const bd = match[3] === undefined ? 1 : Number(match[3]);
  if (bm < 1 || bm > 12 || bd < 1 || bd > 31) return null;
  const todayDate = new Date(today.getFullYear(), today.getMonth(), today.getDate());
  // The day `months` whole months after birth (the 31st becomes the month's last day).
  const anchor = (months: number): Date => {
    const year = by + Math.floor((bm - 1 + months) / 12);
    const month = (bm - 1 + months) % 12;
    return new Date(year, month, Math.min(bd, new Date(year, month + 1, 0).getDate()));
  };
  let totalMonths = (todayDate.getFullYear() - by) * 12 + (todayDate.getMonth() + 1 - bm);
  if (anchor(totalMonths) > todayDate) totalMonths -= 1;
  if (totalMonths < 0) return null;
  const days = Math.round((todayDate.getTime() - anchor(totalMonths).getTime()) / 86_400_000);
  return { years: Math.floor(totalMonths / 12), months: totalMonths, days };
}

/** "67 y", "14 mo" (under 2 years), "12 d" (under a month). */
export function shortAge(age: Age): string {
  if (age.years >= 2) return `${age.years} y`;
  if (age.months >= 1) return `${age.months} mo`;
  return `${age.days} d`;
}

/** "67 years", "14 months", "12 days": for screen readers and titles. */
export function spokenAge(age: Age): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (age.years >= 2) return plural(age.years, 'year');
  if (age.months >= 1) return plural(age.months, 'month');
  return plural(age.days, 'day');
}

/** The administrative gender as a short label and a word: male → M / male. */
export function sexLabel(gender: string | null): { short: string; long: string } {
  switch (gender) {
    case 'male':
      return { short: 'M', long: 'male' };
    case 'female':
      return { short: 'F', long: 'female' };
    case 'other':
      return { short: 'X', long: 'other' };
    default:
      return { short: '?', long: 'sex unknown' };
  }
}
