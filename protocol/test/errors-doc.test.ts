import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { CLOSE_CODES, ERROR_CATALOGUE, ERROR_CODES } from '../src/index.ts';

const doc = await readFile(new URL('../../docs/errors.md', import.meta.url), 'utf8');

test('docs/errors.md lists every error code with its status and text, and nothing else', () => {
  const rows = [...doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \| (.+) \|$/gm)].map((m) => ({
    code: m[1],
    status: Number(m[2]),
    message: m[3],
  }));
  assert.deepEqual(
    rows.map((r) => r.code),
    ERROR_CODES,
  );
  for (const row of rows) {
    const entry = ERROR_CATALOGUE[row.code as keyof typeof ERROR_CATALOGUE];
    assert.equal(row.status, entry.status, row.code);
    assert.equal(row.message, entry.message, row.code);
  }
});

test('docs/errors.md lists every WebSocket close code', () => {
  const documented = [...doc.matchAll(/^\| (\d{4}) \| /gm)].map((m) => Number(m[1]));
  assert.deepEqual([...new Set(Object.values(CLOSE_CODES))].sort(), documented.sort());
});
