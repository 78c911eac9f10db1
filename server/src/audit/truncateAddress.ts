import { isIP } from 'node:net';
import { AuditError } from './AuditError.ts';

/**
 * An IP address reduced to its network, as P1 allows for security logs: IPv4 to its /24
 * (`203.0.113.77` → `203.0.113.0/24`), IPv6 to its /48 (`2001:db8:a:b::1` →
 * `2001:db8:a::/48`, RFC 5952 spelling). An IPv4-mapped IPv6 address counts as IPv4, and a
 * zone id (`%eth0`) is dropped. Enough to see that attempts come from one network, not
 * enough to single out a household. Throws `AuditError('invalid_argument')` for anything
 * that is not an IP address.
 */
export function truncateAddress(address: string): string {
  const bare = address.trim().replace(/^\[(.*)\]$/, '$1');
  const withoutZone = bare.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(withoutZone);
  const v4 = mapped?.[1] ?? withoutZone;
  if (isIP(v4) === 4) {
    const [a, b, c] = v4.split('.').map(Number);
    return `${String(a)}.${String(b)}.${String(c)}.0/24`;
  }
  if (isIP(withoutZone) === 6) {
    const groups = expandIpv6(withoutZone);
    return `${compressIpv6([...groups.slice(0, 3), 0, 0, 0, 0, 0])}/48`;
  }
  throw new AuditError('invalid_argument', 'the event source is not an IP address');
}

/** The eight 16-bit groups of a valid IPv6 address (an embedded IPv4 tail included). */
function expandIpv6(address: string): number[] {
  let text = address.toLowerCase();
  const v4Tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4Tail !== null) {
    const [a, b, c, d] = v4Tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4Tail.index)}${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeros = new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

/** RFC 5952 text: lower-case hex, the longest run (≥ 2) of zero groups as `::`. */
function compressIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLength).join(':');
  return `${left}::${right}`;
}
