package org.chartproof.consent;

import ca.uhn.fhir.util.VersionUtil;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Identifies the rules that made a decision, so that a replay can tell whether it runs the same
 * rules.
 *
 * <p>The rule version is {@code sha256:} followed by the hex SHA-256 of, each line ending in LF:
 * {@link #RULES_VERSION}; {@code hapi-fhir } and the HAPI FHIR version (it parses the Consents);
 * then for each file of {@link #RULE_SOURCES} in that (sorted) order its name, its length in UTF-8
 * bytes and its content with CRLF turned into LF. The sources are the Java files of package {@code
 * org.chartproof.consent}, copied into the jar by the build ({@code rules-source/}); the replay
 * code lives in a sub-package and is not part of them. Any edit of a rule file, even of a comment,
 * gives a new version: a replay across such an edit is refused rather than trusted. A test checks
 * that the list names every file of the package.
 */
public final class RuleVersion {

  /** Bumped by hand when the semantics change (docs/consent.md); the hash changes regardless. */
  public static final String RULES_VERSION = "chartproof-consent-rules/1";

  static final List<String> RULE_SOURCES =
      List.of(
          "AccessRequest.java",
          "Actor.java",
          "BasePolicy.java",
          "Code.java",
          "CompiledConsent.java",
          "ConsentCompiler.java",
          "ConsentEngine.java",
          "DataRef.java",
          "Decision.java",
          "Policy.java",
          "Provision.java",
          "Reason.java",
          "ReasonKind.java",
          "References.java",
          "Requester.java",
          "ResourceFacts.java",
          "RuleVersion.java",
          "SecurityLabels.java",
          "Verdict.java",
          "Window.java");

  private static final String SOURCE_DIR = "rules-source/";

  private RuleVersion() {}

  /** The rule version of this engine, e.g. {@code sha256:3f1c...}. */
  public static String current() {
    return Holder.CURRENT;
  }

  /** The rule version of the given parts (source file name to content), in the format above. */
  static String of(String rulesVersion, String hapiVersion, Map<String, String> sources) {
    StringBuilder material = new StringBuilder();
    material.append(rulesVersion).append('\n');
    material.append("hapi-fhir ").append(hapiVersion).append('\n');
    for (Map.Entry<String, String> source : new TreeMap<>(sources).entrySet()) {
      byte[] content = source.getValue().replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
      material.append(source.getKey()).append('\n').append(content.length).append('\n');
      material.append(new String(content, StandardCharsets.UTF_8)).append('\n');
    }
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] hash = sha256.digest(material.toString().getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static String compute() {
    Map<String, String> sources = new TreeMap<>();
    for (String name : RULE_SOURCES) {
      try (InputStream in = RuleVersion.class.getResourceAsStream(SOURCE_DIR + name)) {
        if (in == null) {
          throw new IllegalStateException(
              "rule source " + name + " is missing from the jar: build consent-engine with Maven");
        }
        sources.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read rule source " + name, e);
      }
    }
    return of(RULES_VERSION, VersionUtil.getVersion(), sources);
  }

  private static final class Holder {
    static final String CURRENT = compute();
  }
}
