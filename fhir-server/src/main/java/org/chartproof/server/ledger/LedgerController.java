package org.chartproof.server.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.chartproof.ledger.merkle.ConsistencyProof;
import org.chartproof.ledger.note.VerifierKey;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The ledger's public endpoints: what an auditor needs to follow and verify the log. */
@RestController
@RequestMapping(path = "/ledger", produces = MediaType.TEXT_PLAIN_VALUE + ";charset=utf-8")
final class LedgerController {

  private final LedgerStore store;
  private final VerifierKey verifierKey;
  private final ObjectProvider<AnchorPublisher> anchorPublisher;

  LedgerController(
      LedgerStore store, VerifierKey verifierKey, ObjectProvider<AnchorPublisher> anchorPublisher) {
    this.store = store;
    this.verifierKey = verifierKey;
    this.anchorPublisher = anchorPublisher;
  }

  /**
   * Anchoring on chain: the newest anchored tree size, its transaction and block, and the lag;
   * {@code "enabled": false} when the server runs without a chain.
   */
  @GetMapping(path = "/anchors", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> anchors() {
    AnchorPublisher publisher = anchorPublisher.getIfAvailable();
    return publisher == null ? Map.of("enabled", false) : publisher.status().toMap();
  }

  /** The latest signed checkpoint (C2SP signed note). */
  @GetMapping("/checkpoint")
  ResponseEntity<String> checkpoint() {
    return store
        .latestCheckpoint()
        .map(c -> ResponseEntity.ok(new String(c.note(), StandardCharsets.UTF_8)))
        .orElseGet(() -> ResponseEntity.status(503).body("no checkpoint yet\n"));
  }

  /**
   * A consistency proof (RFC 9162 §2.1.4) from tree size {@code from} to {@code to}: one base64
   * hash per line. Both sizes must be checkpointed sizes an auditor holds signed roots for; the
   * proof shows the smaller tree is a prefix of the larger one.
   */
  @GetMapping("/proof/consistency")
  ResponseEntity<String> consistency(@RequestParam long from, @RequestParam long to) {
    long size = store.latestCheckpoint().map(c -> c.treeSize()).orElse(0L);
    if (from < 1 || from > to || to > size) {
      return ResponseEntity.badRequest()
          .body("need 1 <= from <= to <= %d (the latest checkpoint's size)\n".formatted(size));
    }
    StringBuilder body = new StringBuilder();
    for (byte[] hash : ConsistencyProof.build(from, to, store)) {
      body.append(Base64.getEncoder().encodeToString(hash)).append('\n');
    }
    return ResponseEntity.ok(body.toString());
  }

  /** The log's verifier key (C2SP vkey). */
  @GetMapping("/key")
  String key() {
    return verifierKey.encode() + "\n";
  }
}
