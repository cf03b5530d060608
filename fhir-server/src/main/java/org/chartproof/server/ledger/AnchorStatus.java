package org.chartproof.server.ledger;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the anchor publisher last saw, for {@code /ledger/anchors}, health and metrics.
 *
 * @param contract the anchor contract's address
 * @param chainReachable whether the last attempt reached the chain
 * @param anchored the newest anchor this server knows of, or null
 * @param ledgerTreeSize the latest checkpoint's tree size
 * @param lagEntries entries checkpointed but not yet anchored
 * @param lagSeconds how long the oldest not-yet-anchored checkpoint has waited (0 without lag)
 * @param lastError the last failure's kind and message, or null
 */
record AnchorStatus(
    String contract,
    boolean chainReachable,
    AnchorRecord anchored,
    long ledgerTreeSize,
    long lagEntries,
    long lagSeconds,
    String lastError) {

  /** An anchor as this server recorded it. */
  record AnchorRecord(
      long index,
      long treeSize,
      long checkpointHeight,
      String transactionHash,
      long blockNumber,
      long anchoredAtMillis) {}

  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("enabled", true);
    map.put("contract", contract);
    map.put("chainReachable", chainReachable);
    map.put("ledgerTreeSize", ledgerTreeSize);
    if (anchored != null) {
      Map<String, Object> latest = new LinkedHashMap<>();
      latest.put("index", anchored.index());
      latest.put("treeSize", anchored.treeSize());
      latest.put("checkpointHeight", anchored.checkpointHeight());
      latest.put("transactionHash", anchored.transactionHash());
      latest.put("blockNumber", anchored.blockNumber());
      latest.put(
          "anchoredAt", java.time.Instant.ofEpochMilli(anchored.anchoredAtMillis()).toString());
      map.put("latest", latest);
    }
    map.put("lagEntries", lagEntries);
    map.put("lagSeconds", lagSeconds);
    if (lastError != null) {
      map.put("lastError", lastError);
    }
    return map;
  }
}
