package org.chartproof.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.util.VersionUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RuleVersionTest {

  private static final Path SOURCES = Path.of("src/main/java/org/chartproof/consent");

  @Test
  void ruleSources_nameEveryJavaFileOfTheRulePackage() throws IOException {
    try (Stream<Path> files = Files.list(SOURCES)) {
      assertThat(
              files
                  .map(f -> f.getFileName().toString())
                  .filter(n -> n.endsWith(".java"))
                  .sorted()
                  .toList())
          .isEqualTo(RuleVersion.RULE_SOURCES);
    }
  }

  @Test
  void current_isTheHashOfTheSourcesInThisTree() throws IOException {
    assertThat(RuleVersion.current())
        .isEqualTo(RuleVersion.of(RuleVersion.RULES_VERSION, VersionUtil.getVersion(), sources()))
        .matches("sha256:[0-9a-f]{64}");
  }

  @Test
  void of_anyChangeToARuleSource_changesTheVersion() throws IOException {
    Map<String, String> sources = sources();
    String base = RuleVersion.of("v1", "8.8.0", sources);

    Map<String, String> edited = new TreeMap<>(sources);
    edited.put("Provision.java", sources.get("Provision.java").replace("DENY", "PERMIT"));
    assertThat(RuleVersion.of("v1", "8.8.0", edited)).isNotEqualTo(base);

    Map<String, String> added = new TreeMap<>(sources);
    added.put("Extra.java", "");
    assertThat(RuleVersion.of("v1", "8.8.0", added)).isNotEqualTo(base);

    assertThat(RuleVersion.of("v2", "8.8.0", sources)).isNotEqualTo(base);
    assertThat(RuleVersion.of("v1", "8.9.0", sources)).isNotEqualTo(base);
  }

  @Test
  void of_lineEndingsDoNotMatter() throws IOException {
    Map<String, String> sources = sources();
    Map<String, String> crlf = new TreeMap<>();
    sources.forEach((name, text) -> crlf.put(name, text.replace("\n", "\r\n")));
    assertThat(RuleVersion.of("v1", "x", crlf)).isEqualTo(RuleVersion.of("v1", "x", sources));
  }

  private static Map<String, String> sources() throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String name : RuleVersion.RULE_SOURCES) {
      out.put(name, Files.readString(SOURCES.resolve(name)));
    }
    return out;
  }
}
