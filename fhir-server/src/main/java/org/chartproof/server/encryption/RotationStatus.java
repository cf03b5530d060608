package org.chartproof.server.encryption;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where key rotation stands: the latest rotation (if any) and the KEK versions now.
 *
 * @param state {@code NONE} (never rotated), {@code RUNNING}, {@code DONE}, {@code FAILED} or
 *     {@code RETIRED}
 * @param id the rotation's number, or null for {@code NONE}
 * @param fromVersion the version active before it, or null
 * @param toVersion the version it rewraps to, or null
 * @param total data keys to rewrap when it started
 * @param done data keys rewrapped so far
 * @param remaining data keys not under the active version now
 * @param activeVersion the active KEK version
 * @param versions the KEK versions that exist, oldest first
 */
record RotationStatus(
    String state,
    Long id,
    String fromVersion,
    String toVersion,
    long total,
    long done,
    long remaining,
    Instant startedAt,
    Instant updatedAt,
    String activeVersion,
    List<String> versions) {

  RotationStatus {
    versions = List.copyOf(versions);
  }

  /** The JSON body of {@code GET /admin/keys/rotation}: versions and counts, nothing secret. */
  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("state", state);
    if (id != null) {
      map.put("rotation", id);
      map.put("from", fromVersion);
      map.put("to", toVersion);
      map.put("total", total);
      map.put("done", done);
      map.put("startedAt", String.valueOf(startedAt));
      map.put("updatedAt", String.valueOf(updatedAt));
    }
    map.put("remaining", remaining);
    map.put("activeVersion", activeVersion);
    map.put("versions", versions);
    return map;
  }
}
