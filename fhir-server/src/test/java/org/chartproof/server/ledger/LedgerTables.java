package org.chartproof.server.ledger;

/** SQL over the ledger's tables that several tests share. */
public final class LedgerTables {

  /** Every entry: those in the tree and those still waiting for the sequencer. */
  public static final String COUNT_ALL_ENTRIES =
      "SELECT (SELECT COUNT(*) FROM cp_ledger_entry) + (SELECT COUNT(*) FROM cp_ledger_pending)";

  private LedgerTables() {}
}
