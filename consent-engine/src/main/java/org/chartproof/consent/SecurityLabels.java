package org.chartproof.consent;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The securityLabel matcher of one provision (R4 Consent.provision.securityLabel).
 *
 * <p>Confidentiality labels (v3-Confidentiality U &lt; L &lt; M &lt; N &lt; R &lt; V) compare by
 * level; a resource without one counts as N, one with a code outside that list as V. Any other
 * label compares by system and code.
 *
 * <ul>
 *   <li>A <b>permit</b> provision matches a resource that carries one of its labels (a
 *       confidentiality label of the provision covers its level and below: the spec's "high water
 *       mark") <i>and</i> carries no sensitivity label (v3-ActCode) and no higher confidentiality
 *       that the provision does not list. A permit restricted to N therefore does not reach a
 *       resource labelled R or PSY: the listed labels are an allow-list.
 *   <li>A <b>deny</b> provision matches a resource that carries any of its labels, where a
 *       confidentiality label covers its level <i>and above</i>: a deny of N data also holds for
 *       more confidential data (reading the high-water mark literally would let R data escape a
 *       deny of N).
 * </ul>
 */
final class SecurityLabels {

  private static final List<String> LEVELS = List.of("U", "L", "M", "N", "R", "V");
  private static final int NORMAL = LEVELS.indexOf("N");
  private static final int UNKNOWN = LEVELS.size() - 1;

  private final Set<Code> listed;
  private final Set<Code> tags;
  private final int confidentiality;

  SecurityLabels(Set<Code> listed) {
    this.listed = Set.copyOf(listed);
    Set<Code> other = new HashSet<>();
    int level = -1;
    for (Code label : listed) {
      if (Code.CONFIDENTIALITY.equals(label.system())) {
        level = Math.max(level, level(label));
      } else {
        other.add(label);
      }
    }
    this.tags = Set.copyOf(other);
    this.confidentiality = level;
  }

  /** The labels as the Consent lists them (named in redactions). */
  Set<Code> listed() {
    return listed;
  }

  boolean matches(Set<Code> resourceLabels, Verdict type) {
    int level = levelOf(resourceLabels);
    boolean carriesTag = false;
    boolean foreignSensitivity = false;
    for (Code label : resourceLabels) {
      if (tags.contains(label)) {
        carriesTag = true;
      } else if (Code.ACT_CODE.equals(label.system())) {
        foreignSensitivity = true;
      }
    }
    if (type == Verdict.PERMIT) {
      boolean levelCovered = confidentiality < 0 || level <= confidentiality;
      boolean touches = carriesTag || (confidentiality >= 0 && level <= confidentiality);
      return touches && levelCovered && !foreignSensitivity;
    }
    return carriesTag || (confidentiality >= 0 && level >= confidentiality);
  }

  private static int levelOf(Set<Code> labels) {
    int level = -1;
    for (Code label : labels) {
      if (Code.CONFIDENTIALITY.equals(label.system())) {
        level = Math.max(level, level(label));
      }
    }
    return level < 0 ? NORMAL : level;
  }

  private static int level(Code label) {
    int level = LEVELS.indexOf(label.code());
    return level < 0 ? UNKNOWN : level;
  }
}
