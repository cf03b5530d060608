package org.chartproof.server.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMART on FHIR scope: a resource scope ({@code patient/Observation.rs}, v1 {@code
 * user/*.read}) or any other scope ({@code openid}, {@code launch/patient}), compared as text.
 *
 * <p>Version 1 permissions are read as their version 2 letters: {@code read} = {@code rs}, {@code
 * write} = {@code cud}, {@code *} = {@code cruds}. Version 2 queries ({@code
 * patient/Observation.rs?category=laboratory}) are refused until they are enforced.
 *
 * @param context who the scope speaks for, or null for a non-resource scope
 * @param resourceType a FHIR resource type or {@code *}, or null for a non-resource scope
 * @param permissions what it allows; empty for a non-resource scope
 */
public record SmartScope(
    String text, Context context, String resourceType, Set<Permission> permissions) {

  /** Whose data a resource scope speaks for. */
  public enum Context {
    PATIENT,
    USER,
    SYSTEM
  }

  /** The SMART v2 permission letters. */
  public enum Permission {
    CREATE('c'),
    READ('r'),
    UPDATE('u'),
    DELETE('d'),
    SEARCH('s');

    private final char letter;

    Permission(char letter) {
      this.letter = letter;
    }

    /** The permission's SMART v2 letter. */
    public char letter() {
      return letter;
    }
  }

  private static final Pattern RESOURCE_SCOPE =
      Pattern.compile("(patient|user|system)/(\\*|[A-Z][A-Za-z]{1,63})\\.([a-z*]+)(\\?.*)?");

  /**
   * Parses one scope.
   *
   * @throws IllegalArgumentException if it looks like a resource scope but is not a valid one, or
   *     carries a version 2 query
   */
  public static SmartScope parse(String text) {
    if (!text.contains("/") || text.startsWith("launch/")) {
      if (text.isEmpty() || text.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\')) {
        throw new IllegalArgumentException("invalid scope '" + text + "'");
      }
      return new SmartScope(text, null, null, Set.of());
    }
    Matcher m = RESOURCE_SCOPE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid SMART scope '" + text + "'");
    }
    if (m.group(4) != null) {
      throw new IllegalArgumentException(
          "SMART scopes with a query ('" + text + "') are not supported");
    }
    return new SmartScope(
        text,
        Context.valueOf(m.group(1).toUpperCase(Locale.ROOT)),
        m.group(2),
        permissions(text, m.group(3)));
  }

  private static Set<Permission> permissions(String scope, String letters) {
    switch (letters) {
      case "read":
        return EnumSet.of(Permission.READ, Permission.SEARCH);
      case "write":
        return EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE);
      case "*":
        return EnumSet.allOf(Permission.class);
      default:
        break;
    }
    EnumSet<Permission> permissions = EnumSet.noneOf(Permission.class);
    int previous = -1;
    for (char c : letters.toCharArray()) {
      Permission p = null;
      for (Permission candidate : Permission.values()) {
        if (candidate.letter == c) {
          p = candidate;
        }
      }
      // v2 letters appear at most once each, in the order c r u d s
      if (p == null || p.ordinal() <= previous) {
        throw new IllegalArgumentException(
            "invalid permissions '" + letters + "' in SMART scope '" + scope + "'");
      }
      permissions.add(p);
      previous = p.ordinal();
    }
    return permissions;
  }

  /** True for {@code context/type.permissions} scopes. */
  public boolean isResourceScope() {
    return context != null;
  }

  /** True if this scope allows {@code permission} on resources of {@code type}. */
  public boolean permits(String type, Permission permission) {
    return isResourceScope()
        && (resourceType.equals("*") || resourceType.equals(type))
        && permissions.contains(permission);
  }

  /**
   * True if a client holding this scope may be granted {@code requested}: the same context, the
   * same or any resource type, and no permission this one lacks. Other scopes only cover
   * themselves.
   */
  public boolean covers(SmartScope requested) {
    if (!isResourceScope() || !requested.isResourceScope()) {
      return text.equals(requested.text);
    }
    return context == requested.context
        && (resourceType.equals("*") || resourceType.equals(requested.resourceType))
        && permissions.containsAll(requested.permissions);
  }
}
