/**
 * C2SP signed notes with Ed25519 signatures and the transparency-log checkpoints carried in them.
 *
 * <p>{@link org.chartproof.ledger.note.Checkpoint} formats and parses the note text; {@link
 * org.chartproof.ledger.note.NoteSigner} signs it; {@link org.chartproof.ledger.note.SignedNote}
 * verifies a note against trusted {@link org.chartproof.ledger.note.VerifierKey}s. Only signature
 * type {@code 0x01} (Ed25519) is implemented; signatures by keys the verifier does not trust, such
 * as witness cosignatures, are ignored as the spec requires.
 *
 * @see <a href="https://c2sp.org/signed-note">C2SP signed-note</a>
 * @see <a href="https://c2sp.org/tlog-checkpoint">C2SP tlog-checkpoint</a>
 */
package org.chartproof.ledger.note;
