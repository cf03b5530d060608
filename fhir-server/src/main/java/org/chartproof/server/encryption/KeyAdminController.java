package org.chartproof.server.encryption;

import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.chartproof.server.auth.AccessIdentity;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Key administration over HTTP (docs/keys.md), for administrators only ({@link
 * org.chartproof.server.auth.Administrators}):
 *
 * <ul>
 *   <li>{@code POST /admin/keys/rotation}: starts a rotation (202), or answers the running one's
 *       status;
 *   <li>{@code GET /admin/keys/rotation}: the status, versions and counts only;
 *   <li>{@code POST /admin/keys/retire?version=kek-1}: destroys an old KEK version, 409 while it is
 *       active, a rotation runs, or a data key still needs it.
 * </ul>
 *
 * Everyone else gets 403 (401 without a token, from the security chain).
 */
@RestController
@RequestMapping(path = "/admin/keys", produces = MediaType.APPLICATION_JSON_VALUE)
final class KeyAdminController {

  private final KeyRotation rotation;
  private final Predicate<Optional<AccessIdentity>> administrator;

  /**
   * @param administrator decides on the request's identity (empty without a token) whether it may
   *     administer keys
   */
  KeyAdminController(KeyRotation rotation, Predicate<Optional<AccessIdentity>> administrator) {
    this.rotation = rotation;
    this.administrator = administrator;
  }

  @PostMapping("/rotation")
  ResponseEntity<Map<String, Object>> start() {
    if (!administrator.test(AccessIdentity.current())) {
      return forbidden();
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(rotation.start().toMap());
  }

  @GetMapping("/rotation")
  ResponseEntity<Map<String, Object>> status() {
    if (!administrator.test(AccessIdentity.current())) {
      return forbidden();
    }
    return ResponseEntity.ok(rotation.status().toMap());
  }

  @PostMapping("/retire")
  ResponseEntity<Map<String, Object>> retire(@RequestParam String version) {
    if (!administrator.test(AccessIdentity.current())) {
      return forbidden();
    }
    try {
      return ResponseEntity.ok(rotation.retire(version).toMap());
    } catch (KeyRotation.ConflictException e) {
      return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }
  }

  private static ResponseEntity<Map<String, Object>> forbidden() {
    return ResponseEntity.status(HttpStatus.FORBIDDEN)
        .body(
            Map.of(
                "error",
                "key administration needs an administrator's token: a client with admin: true in"
                    + " chartproof.auth.clients and the scope system/*.cruds"));
  }
}
