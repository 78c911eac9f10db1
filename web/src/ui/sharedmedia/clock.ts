/** m:ss (or h:mm:ss) of a number of seconds. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const mm = String(Math.floor((s % 3600) / 60));
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${String(Math.floor(s / 3600))}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
