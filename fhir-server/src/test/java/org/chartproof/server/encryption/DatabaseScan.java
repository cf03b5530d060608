package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * Finds marker strings anywhere in a PostgreSQL database: every text, character, json and bytea
 * column of every table (bytea searched as raw bytes and as UTF-8 text, case-insensitively), large
 * objects, and a pg_dump of the whole database.
 */
final class DatabaseScan {

  /** Where a marker was found. */
  record Hit(String where, String marker) {
    String table() {
      return where.split("\\.")[0];
    }
  }

  private DatabaseScan() {}

  /** Every column hit by any of the markers ({@code table.column}, marker). */
  static Set<Hit> columns(JdbcTemplate jdbc, List<String> markers) {
    Set<Hit> hits = new TreeSet<>((a, b) -> (a.where + a.marker).compareTo(b.where + b.marker));
    List<Map<String, Object>> columns =
        jdbc.queryForList(
            "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c"
                + " JOIN information_schema.tables t ON t.table_schema = c.table_schema"
                + " AND t.table_name = c.table_name"
                + " WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'"
                + " AND c.data_type IN ('text', 'character varying', 'character', 'json',"
                + " 'jsonb', 'bytea', 'oid', 'xml')");
    assertThat(columns).as("the scan finds the tables").hasSizeGreaterThan(50);
    for (Map<String, Object> column : columns) {
      String table = (String) column.get("table_name");
      String name = (String) column.get("column_name");
      String type = (String) column.get("data_type");
      String where = table + "." + name;
      String sql =
          "SELECT \"" + name + "\" FROM \"" + table + "\" WHERE \"" + name + "\" IS NOT NULL";
      if (type.equals("bytea")) {
        jdbc.query(sql, (RowCallbackHandler) rs -> scanBytes(rs.getBytes(1), where, markers, hits));
      } else if (type.equals("oid")) {
        jdbc.query(
            "SELECT lo_get(\""
                + name
                + "\") FROM \""
                + table
                + "\" WHERE \""
                + name
                + "\" IS NOT NULL",
            (RowCallbackHandler)
                rs -> scanBytes(rs.getBytes(1), where + " (large object)", markers, hits));
      } else {
        jdbc.query(
            "SELECT \""
                + name
                + "\"::text FROM \""
                + table
                + "\" WHERE \""
                + name
                + "\" IS NOT NULL",
            (RowCallbackHandler) rs -> scanText(rs.getString(1), where, markers, hits));
      }
    }
    // large objects not referenced from a column, too
    jdbc.query(
        "SELECT data FROM pg_largeobject",
        (RowCallbackHandler) rs -> scanBytes(rs.getBytes(1), "pg_largeobject.data", markers, hits));
    return hits;
  }

  /**
   * Runs pg_dump of the database to a file and returns the markers found, with the table whose COPY
   * block held them ({@code (outside data)} for schema text).
   */
  static Set<Hit> dump(String pgDump, int port, String database, Path file, List<String> markers)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                pgDump,
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-U",
                "postgres",
                "--no-password",
                "-f",
                file.toString(),
                database)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("pg_dump: " + output).isZero();
    Set<Hit> hits = new TreeSet<>((a, b) -> (a.where + a.marker).compareTo(b.where + b.marker));
    String table = "(outside data)";
    long lines = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lines++;
      if (line.startsWith("COPY ")) {
        table = line.split(" ")[1].replace("public.", "");
      } else if (line.equals("\\.")) {
        table = "(outside data)";
      }
      scanText(line, table + ".(pg_dump)", markers, hits);
    }
    assertThat(lines).as("pg_dump wrote the database").isGreaterThan(1000);
    return hits;
  }

  /** pg_dump: on the PATH, or Debian's postgresql-client (see .ci/run). */
  static String pgDump() {
    for (String candidate :
        List.of(
            "/usr/lib/postgresql/17/bin/pg_dump",
            "/usr/lib/postgresql/16/bin/pg_dump",
            "/usr/lib/postgresql/15/bin/pg_dump",
            "/usr/bin/pg_dump")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new AssertionError(
        "pg_dump is needed: install Debian's postgresql-client (apt-get install postgresql-client)");
  }

  private static void scanText(String value, String where, List<String> markers, Set<Hit> hits) {
    if (value == null) {
      return;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    for (String marker : markers) {
      String hex = HexFormat.of().formatHex(marker.getBytes(StandardCharsets.UTF_8));
      if (lower.contains(marker.toLowerCase(Locale.ROOT)) || lower.contains(hex)) {
        hits.add(new Hit(where, marker));
      }
    }
  }

  private static void scanBytes(byte[] value, String where, List<String> markers, Set<Hit> hits) {
    if (value == null) {
      return;
    }
    scanText(new String(value, StandardCharsets.UTF_8), where, markers, hits);
    scanText(new String(value, StandardCharsets.ISO_8859_1), where, markers, hits);
    List<Hit> found = new ArrayList<>();
    for (String marker : markers) {
      byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
      if (indexOf(value, needle) >= 0) {
        found.add(new Hit(where, marker));
      }
    }
    hits.addAll(found);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
