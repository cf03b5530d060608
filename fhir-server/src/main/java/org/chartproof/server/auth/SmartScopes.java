package org.chartproof.server.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.chartproof.server.auth.SmartScope.Context;
import org.chartproof.server.auth.SmartScope.Permission;

/** The scopes a token grants. */
public record SmartScopes(List<SmartScope> scopes) {

  public SmartScopes {
    scopes = List.copyOf(scopes);
  }

  /**
   * Parses scopes as a token or a request carries them.
   *
   * @throws IllegalArgumentException naming the first invalid scope
   */
  public static SmartScopes parse(Collection<String> texts) {
    List<SmartScope> parsed = new ArrayList<>(texts.size());
    for (String text : texts) {
      parsed.add(SmartScope.parse(text));
    }
    return new SmartScopes(parsed);
  }

  /** Parses a space-separated scope string ({@code scope} claim or parameter). */
  public static SmartScopes parse(String spaceSeparated) {
    if (spaceSeparated == null || spaceSeparated.isBlank()) {
      return new SmartScopes(List.of());
    }
    return parse(List.of(spaceSeparated.trim().split("\\s+")));
  }

  /**
   * True if a resource scope in one of {@code contexts} allows {@code permission} on {@code type}.
   */
  public boolean permits(Set<Context> contexts, String type, Permission permission) {
    return scopes.stream()
        .anyMatch(
            s ->
                s.isResourceScope()
                    && contexts.contains(s.context())
                    && s.permits(type, permission));
  }

  /** True if one of these scopes covers {@code requested} ({@link SmartScope#covers}). */
  public boolean covers(SmartScope requested) {
    return scopes.stream().anyMatch(s -> s.covers(requested));
  }

  /** The scopes as text, space-separated. */
  @Override
  public String toString() {
    return String.join(" ", scopes.stream().map(SmartScope::text).toList());
  }
}
