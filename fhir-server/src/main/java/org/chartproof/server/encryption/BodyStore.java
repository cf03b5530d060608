package org.chartproof.server.encryption;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.chartproof.server.encryption.SealedBody.Binding;
import org.springframework.jdbc.core.JdbcTemplate;

/** The rows of {@code cp_resource_body} (encryption/bodies.sql). */
final class BodyStore {

  /** A stored body and the version and key it says it was sealed for. */
  record Row(String address, Binding binding, byte[] sealed) {}

  private static final String SELECT =
      "SELECT address, res_type, res_id, res_ver, key_id, sealed FROM cp_resource_body";

  private final JdbcTemplate jdbc;

  /**
   * @param jdbc on HAPI's DataSource, so that {@link #insert} joins the write's transaction
   */
  BodyStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void insert(String address, Binding binding, byte[] sealed) {
    jdbc.update(
        "INSERT INTO cp_resource_body (address, res_type, res_id, res_ver, key_id, sealed)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        address,
        binding.type(),
        binding.id(),
        binding.version(),
        binding.keyId(),
        sealed);
  }

  /** The rows at these addresses; absent addresses are left out. */
  Map<String, Row> find(Collection<String> addresses) {
    Map<String, Row> found = new HashMap<>();
    List<String> all = List.copyOf(addresses);
    for (int from = 0; from < all.size(); from += 500) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
      String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
      jdbc.query(
          SELECT + " WHERE address IN (" + marks + ")",
          rs -> {
            Row row =
                new Row(
                    rs.getString(1),
                    new Binding(rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)),
                    rs.getBytes(6));
            found.put(row.address(), row);
          },
          chunk.toArray());
    }
    return found;
  }

  void delete(String address) {
    jdbc.update("DELETE FROM cp_resource_body WHERE address = ?", address);
  }
}
