/**
 * Replay protection for SAML assertions: remembers the ID of every accepted assertion
 * until it would expire anyway. The production implementation is a database table with
 * the assertion ID as primary key (an `INSERT … ON CONFLICT DO NOTHING` tells whether
 * the row is new), so every node of a cluster sees the same set; rows whose
 * `notOnOrAfter` has passed may be deleted.
 */
export interface SeenAssertions {
  /**
   * Records `assertionId` and resolves true when it had not been seen before, false when
   * it had. Must be atomic: of two concurrent calls with one ID, only one sees true.
   * `notOnOrAfter` is when the assertion stops being acceptable (skew included), i.e. how
   * long the record must be kept.
   */
  firstSeen(assertionId: string, notOnOrAfter: Date): Promise<boolean>;
}
