package org.chartproof.server.ledger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What the verify command found: every problem by kind and subject, and what was checked. */
final class AuditReport {

  /** Kinds of problems, in the order the report lists them. */
  enum Kind {
    /** A checkpoint is unsigned, badly signed, out of chain, or disagrees with the entries. */
    CHECKPOINT,
    /** The log is not consistent with the checkpoint the auditor kept: history was rewritten. */
    REWRITTEN,
    /** The log is not consistent with its anchors on the chain: history was rewritten. */
    ANCHOR,
    /** A ledger entry was altered, removed, or does not describe the row it sits in. */
    ENTRY,
    /** A stored version's content or deletion state does not match its ledger entry. */
    ALTERED,
    /** A ledgered version is not in the database. */
    MISSING,
    /** A stored version has no ledger entry. */
    UNLEDGERED,
    /**
     * An erasure does not agree with the ledger: its manifest does not match its ERASE entry, or a
     * version it lists still has its salt or is still served.
     */
    ERASURE
  }

  /**
   * One problem.
   *
   * @param subject what it is about: {@code Type/id/_history/v}, {@code leaf 17}, {@code height 4}
   */
  record Finding(Kind kind, String subject, String detail) {
    @Override
    public String toString() {
      return "%-10s %s: %s".formatted(kind, subject, detail);
    }
  }

  private final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
  long checkpoints;
  long entries;
  long pendingEntries;
  long versions;
  long accessEvents;

  /** Versions (stored or not) whose salts an ERASE entry logged after them destroyed. */
  long erasedVersions;

  /** ERASE entries in the ledger. */
  long erasures;

  long treeSize;
  long height = -1;

  /** Anchors read from the chain; -1 when verify ran without a chain. */
  long anchors = -1;

  void add(Kind kind, String subject, String detail) {
    findings.add(new Finding(kind, subject, detail));
  }

  List<Finding> findings() {
    synchronized (findings) {
      return findings.stream()
          .sorted((a, b) -> a.kind() != b.kind() ? a.kind().compareTo(b.kind()) : 0)
          .toList();
    }
  }

  boolean clean() {
    return findings.isEmpty();
  }

  Map<Kind, Integer> counts() {
    Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    findings().forEach(f -> counts.merge(f.kind(), 1, Integer::sum));
    return counts;
  }

  String summary() {
    String format =
        "%s: %d resource versions%s, %d ledger entries (%d pending), %d checkpoints (latest"
            + " height %d, tree size %d)%s%s; %s";
    return format.formatted(
        clean() ? "OK" : "FAILED",
        versions,
        accessEvents == 0 ? "" : ", " + accessEvents + " access log events",
        entries,
        pendingEntries,
        checkpoints,
        height,
        treeSize,
        anchors < 0 ? "" : ", " + anchors + " anchors read from the chain",
        erasures == 0 ? "" : ", " + erasedVersions + " erased versions (" + erasures + " erasures)",
        clean() ? "no problems" : "problems " + counts());
  }
}
