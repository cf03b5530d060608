package org.chartproof.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/** Test vectors as data: one JSON file per case, walked in a stable order. */
public final class JsonCases {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonCases() {}

  /**
   * Every {@code *.json} file under {@code root}, sorted by path, as one argument named by its path
   * relative to {@code root}.
   */
  public static Stream<Arguments> walk(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(p -> p.toString().endsWith(".json"))
          .sorted()
          .map(p -> Arguments.of(Named.of(root.relativize(p).toString(), read(p))))
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable case " + file, e);
    }
  }
}
