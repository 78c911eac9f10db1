import { useNow } from '../useNow.ts';

/** "04:12", or "1:04:12" from an hour on: the time left until `endsAt` (never below zero). */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${String(hours)}:${mmss}` : mmss;
}

/** The time left until an ISO 8601 instant, re-read every second, formatted. */
export function useRemaining(endsAt: string): string {
  const now = useNow(1000);
  return formatRemaining(Date.parse(endsAt) - now);
}
