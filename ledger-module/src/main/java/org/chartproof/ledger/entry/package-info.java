/**
 * The content of the Chartproof ledger: what one FHIR write puts into the Merkle tree.
 *
 * <p>A write of resource version {@code v} becomes a {@link
 * org.chartproof.ledger.entry.LedgerEntry} whose canonical bytes are the RFC 6962 leaf data. The
 * entry holds no personal data and no raw ids: the resource id and the actor appear as keyed {@link
 * org.chartproof.ledger.entry.Pseudonym}s ({@link org.chartproof.ledger.entry.PseudonymKey}), and
 * the content as a salted {@link org.chartproof.ledger.entry.Commitment} to its RFC 8785 canonical
 * form ({@link org.chartproof.ledger.entry.JsonCanonicalizer}). The {@link
 * org.chartproof.ledger.entry.Salt} stays with the resource version; a reader given the version and
 * its salt recomputes the commitment from what they read, then follows the entry's leaf hash into a
 * Merkle proof.
 *
 * <p>Everything here is a pure function of its arguments: no I/O, no clock, no global state;
 * randomness and time are passed in. Rejections of untrusted input are checked {@link
 * org.chartproof.ledger.entry.LedgerEntryException}s whose messages carry no content, salt or key.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8785">RFC 8785 (JCS)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6962#section-2.1">RFC 6962 §2.1</a>
 */
package org.chartproof.ledger.entry;
