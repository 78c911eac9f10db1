import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AuditError } from '../../src/audit/AuditError.ts';
import {
  assertConsistency,
  assertInclusion,
  verifyConsistency,
  verifyInclusion,
} from '../../src/audit/merkle.ts';

// The vectors live beside the repository (../shared from its root), wherever it is cloned.
const VECTORS = new URL('../../../../shared/testdata/rfc9162/', import.meta.url);

interface Vector {
  readonly file: string;
  readonly json: Record<string, unknown>;
}

/** Every JSON file under a vector folder, in all subfolders, sorted for stable test names. */
function vectorsIn(folder: string): Vector[] {
  const dir = fileURLToPath(new URL(`${folder}/`, VECTORS));
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .sort();
  return files.map((file) => ({
    file: `${folder}/${file}`,
    json: JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as Record<string, unknown>,
  }));
}

function num(json: Record<string, unknown>, key: string): number {
  const value = json[key];
  assert.equal(typeof value, 'number', `${key} is a number`);
  return value as number;
}

function bytes(json: Record<string, unknown>, key: string): Buffer {
  const value = json[key];
  assert.equal(typeof value, 'string', `${key} is a base64 string`);
  return Buffer.from(value as string, 'base64');
}

function proof(json: Record<string, unknown>): Buffer[] {
  const value = json.proof;
  if (value === null) return [];
  assert.ok(Array.isArray(value), 'proof is an array or null');
  return value.map((item) => {
    assert.equal(typeof item, 'string');
    return Buffer.from(item as string, 'base64');
  });
}

function wantErr(json: Record<string, unknown>): boolean {
  assert.equal(typeof json.wantErr, 'boolean');
  return json.wantErr as boolean;
}

function isAuditError(error: unknown): boolean {
  assert.ok(error instanceof AuditError, `expected an AuditError, got ${String(error)}`);
  return true;
}

const inclusion = vectorsIn('inclusion');
const consistency = vectorsIn('consistency');

describe('RFC 9162 test vectors', () => {
  test('the inclusion and consistency vector folders are found and not empty', () => {
    assert.ok(inclusion.length >= 90, `${inclusion.length} inclusion vectors`);
    assert.ok(consistency.length >= 90, `${consistency.length} consistency vectors`);
    assert.ok(inclusion.some((v) => v.json.wantErr === false));
    assert.ok(consistency.some((v) => v.json.wantErr === true));
  });

  for (const { file, json } of inclusion) {
    const rejected = wantErr(json);
    test(`${file} (${String(json.desc)}) is ${rejected ? 'rejected' : 'accepted'}`, () => {
      const args = [
        num(json, 'leafIdx'),
        num(json, 'treeSize'),
        bytes(json, 'leafHash'),
        proof(json),
        bytes(json, 'root'),
      ] as const;
      assert.equal(verifyInclusion(...args), !rejected);
      if (rejected)
        assert.throws(() => {
          assertInclusion(...args);
        }, isAuditError);
      else assertInclusion(...args);
    });
  }

  for (const { file, json } of consistency) {
    const rejected = wantErr(json);
    test(`${file} (${String(json.desc)}) is ${rejected ? 'rejected' : 'accepted'}`, () => {
      const args = [
        num(json, 'size1'),
        num(json, 'size2'),
        proof(json),
        bytes(json, 'root1'),
        bytes(json, 'root2'),
      ] as const;
      assert.equal(verifyConsistency(...args), !rejected);
      if (rejected)
        assert.throws(() => {
          assertConsistency(...args);
        }, isAuditError);
      else assertConsistency(...args);
    });
  }
});
