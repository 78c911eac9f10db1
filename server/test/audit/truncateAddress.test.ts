import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuditError } from '../../src/audit/AuditError.ts';
import { truncateAddress } from '../../src/audit/truncateAddress.ts';

describe('truncateAddress (P1)', () => {
  test('an IPv4 address keeps its /24 network', () => {
    assert.equal(truncateAddress('203.0.113.77'), '203.0.113.0/24');
    assert.equal(truncateAddress('10.1.2.3'), '10.1.2.0/24');
  });

  test('an IPv6 address keeps its /48 network in RFC 5952 spelling', () => {
    assert.equal(truncateAddress('2001:db8:abcd:12:34::1'), '2001:db8:abcd::/48');
    assert.equal(truncateAddress('2001:0DB8:0000:ffff::'), '2001:db8::/48');
    assert.equal(truncateAddress('::1'), '::/48');
    assert.equal(truncateAddress('fe80::1%eth0'), 'fe80::/48');
    assert.equal(truncateAddress('[2001:db8:1:2::3]'), '2001:db8:1::/48');
    assert.equal(truncateAddress('2001:db8:1:2::1.2.3.4'), '2001:db8:1::/48');
  });

  test('an IPv4-mapped IPv6 address is treated as IPv4', () => {
    assert.equal(truncateAddress('::ffff:198.51.100.200'), '198.51.100.0/24');
  });

  test('anything else is refused rather than stored', () => {
    for (const bad of ['', 'localhost', '1.2.3', '256.1.1.1', '2001:db8::g']) {
      assert.throws(
        () => truncateAddress(bad),
        (error: unknown) => error instanceof AuditError && error.reason === 'invalid_argument',
        bad,
      );
    }
  });
});
