package org.chartproof.server.auth;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo app's redirect URI: shows the authorization code (or the error) it received, so that the
 * App Launch flow can be walked through with a browser and curl (README "Try it"). Answers 404
 * unless the demo setup is active.
 */
@RestController
final class DemoCallback {

  private final DemoSetup demo;

  DemoCallback(DemoSetup demo) {
    this.demo = demo;
  }

  @GetMapping(path = DemoSetup.CALLBACK, produces = MediaType.TEXT_PLAIN_VALUE)
  ResponseEntity<String> callback(
      @RequestParam(required = false) String code,
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String error,
      @RequestParam(name = "error_description", required = false) String description) {
    if (!demo.active()) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
    }
    String body =
        error != null
            ? "error: " + error + (description == null ? "" : "\n" + description) + "\n"
            : "code: " + code + "\nstate: " + state + "\n";
    // text/plain, so nothing the query carried can run as a script
    return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(body);
  }
}
