/**
 * RFC 6962 / RFC 9162 Merkle tree core of the Chartproof ledger: hashing, tree heads, proof
 * building from stored nodes, incremental appends and proof verification.
 *
 * <p>Everything here is a pure function of its arguments: no I/O, no clock, no global state.
 * Storage and sequencing live elsewhere and talk to this package through {@link
 * org.chartproof.ledger.merkle.NodeReader} and {@link org.chartproof.ledger.merkle.TreeNode}.
 *
 * <h2>Node addressing</h2>
 *
 * A node is addressed by {@link org.chartproof.ledger.merkle.NodeId} {@code (level, index)}: the
 * node covers leaves {@code [index * 2^level, (index + 1) * 2^level)}; level 0 holds the leaf
 * hashes. A node is <em>complete</em> in a tree of size {@code n} when its whole range lies below
 * {@code n}. Because an RFC 6962 tree always splits at the largest power of two, every complete
 * node of the aligned binary tree is also a subtree of the RFC 6962 tree of every size that
 * contains it, so its hash never changes once it exists. Stores persist exactly these nodes (about
 * {@code 2n} of them) and nothing else; the hashes of incomplete nodes on the right edge are
 * recomputed on demand from complete ones.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6962#section-2.1">RFC 6962 §2.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9162#section-2.1">RFC 9162 §2.1</a>
 */
package org.chartproof.ledger.merkle;
