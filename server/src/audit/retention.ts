/**
 * Retention periods per event class (A3): after this many days an event's content, salt and
 * personal columns are erased, its leaf hash stays. `default` applies to every class not
 * named. Example: `{ default: 365, meeting: 90 }`.
 */
export type RetentionDays = Readonly<Record<string, number>> & { readonly default: number };

/** One year for everything, unless configured otherwise. */
export const DEFAULT_RETENTION_DAYS: RetentionDays = { default: 365 };

/**
 * Parses a retention setting such as `meeting=90,auth=365` (the AUDIT_RETENTION_DAYS
 * variable): comma-separated `<class>=<days>`, days a whole number ≥ 1; `default=<days>`
 * sets the period for unnamed classes, else `fallback.default` holds. Throws a `TypeError`
 * naming the first bad entry.
 */
export function parseRetentionDays(
  text: string,
  fallback: RetentionDays = DEFAULT_RETENTION_DAYS,
): RetentionDays {
  const result: Record<string, number> = { ...fallback };
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const match = /^([a-z][a-z0-9_]*)\s*=\s*(\d{1,6})$/.exec(entry);
    const days = Number(match?.[2]);
    if (match === null || days < 1) {
      throw new TypeError(`"${entry}" is not <event class>=<days> with days ≥ 1`);
    }
    result[match[1] as string] = days;
  }
  return result as RetentionDays;
}

/** Checks a retention map: positive whole days, a default, lower-case class names. */
export function checkRetentionDays(days: RetentionDays): void {
  for (const [eventClass, value] of Object.entries(days)) {
    if (!/^[a-z][a-z0-9_]*$/.test(eventClass)) {
      throw new TypeError(`"${eventClass}" is not an event class name`);
    }
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`the retention of ${eventClass} must be a whole number of days ≥ 1`);
    }
  }
  if (!Number.isSafeInteger(days.default)) throw new TypeError('a default retention is needed');
}
