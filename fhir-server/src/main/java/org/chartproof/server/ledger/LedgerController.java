package org.chartproof.server.ledger;

import java.nio.charset.StandardCharsets;
import org.chartproof.ledger.note.VerifierKey;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The ledger's public endpoints: what an auditor needs to follow and verify the log. */
@RestController
@RequestMapping(path = "/ledger", produces = MediaType.TEXT_PLAIN_VALUE + ";charset=utf-8")
final class LedgerController {

  private final LedgerStore store;
  private final VerifierKey verifierKey;

  LedgerController(LedgerStore store, VerifierKey verifierKey) {
    this.store = store;
    this.verifierKey = verifierKey;
  }

  /** The latest signed checkpoint (C2SP signed note). */
  @GetMapping("/checkpoint")
  ResponseEntity<String> checkpoint() {
    return store
        .latestCheckpoint()
        .map(c -> ResponseEntity.ok(new String(c.note(), StandardCharsets.UTF_8)))
        .orElseGet(() -> ResponseEntity.status(503).body("no checkpoint yet\n"));
  }

  /** The log's verifier key (C2SP vkey). */
  @GetMapping("/key")
  String key() {
    return verifierKey.encode() + "\n";
  }
}
