/** A connection URL without its password, safe for messages and logs (H2). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    // An unparseable URL may still hold a secret; show none of it.
    return '(unparseable URL)';
  }
}
