package org.chartproof.consent;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One compiled Consent.provision: its conditions, its type and its nested exceptions.
 *
 * <p>Conditions: every element present must match (AND); within an element, any listed value
 * matches (OR). Recipient actors and origin actors (see {@link Actor}) are two elements. An empty
 * element places no condition. Where a fact the condition needs is unknown (no data date, no
 * authors), a deny provision matches and a permit does not: missing facts never widen access.
 *
 * <p>Evaluation ({@link #evaluate}): a provision that does not match decides nothing. One that
 * matches asks its nested provisions, in document order; the deepest matching provision's type
 * decides, and among matching siblings a deny wins over a permit. If no nested provision matches,
 * the provision's own type decides.
 */
final class Provision {

  /** The decision of a subtree: the verdict and the reason to record. */
  record Outcome(Verdict verdict, Reason reason) {}

  final Verdict type;
  private final Outcome self;
  private final Window period;
  private final List<Actor> recipients;
  private final List<Actor> origins;
  private final Set<String> actions;
  private final SecurityLabels labels;
  private final Set<String> purposes;
  private final Set<String> resourceTypes;
  private final Set<Code> classes;
  private final Set<Code> codes;
  private final Window dataPeriod;
  private final List<DataRef> data;
  private final List<Provision> children;

  Provision(
      Verdict type,
      Reason reason,
      Window period,
      List<Actor> actors,
      Set<String> actions,
      SecurityLabels labels,
      Set<String> purposes,
      Set<String> resourceTypes,
      Set<Code> classes,
      Set<Code> codes,
      Window dataPeriod,
      List<DataRef> data,
      List<Provision> children) {
    this.type = type;
    this.self = new Outcome(type, reason);
    this.period = period;
    this.recipients = actors.stream().filter(a -> !a.isOrigin()).toList();
    this.origins = actors.stream().filter(Actor::isOrigin).toList();
    this.actions = Set.copyOf(actions);
    this.labels = labels;
    this.purposes = Set.copyOf(purposes);
    this.resourceTypes = Set.copyOf(resourceTypes);
    this.classes = Set.copyOf(classes);
    this.codes = Set.copyOf(codes);
    this.dataPeriod = dataPeriod;
    this.data = List.copyOf(data);
    this.children = List.copyOf(children);
  }

  /**
   * The decision of this subtree, or {@code null} if this provision does not match. Labels of deny
   * exceptions that match everything but their securityLabel are added to {@code redact}.
   */
  Outcome evaluate(AccessRequest request, Instant now, Set<Code> redact) {
    if (!matchesExceptLabels(request, now) || !labelsMatch(request)) {
      return null;
    }
    Outcome permit = null;
    for (Provision child : children) {
      Outcome outcome = child.evaluate(request, now, redact);
      if (outcome == null) {
        if (child.type == Verdict.DENY
            && child.labels != null
            && child.matchesExceptLabels(request, now)) {
          redact.addAll(child.labels.listed());
        }
      } else if (outcome.verdict() == Verdict.DENY) {
        return outcome;
      } else if (permit == null) {
        permit = outcome;
      }
    }
    return permit != null ? permit : self;
  }

  private boolean labelsMatch(AccessRequest request) {
    return labels == null || labels.matches(request.resource().securityLabels(), type);
  }

  private boolean matchesExceptLabels(AccessRequest request, Instant now) {
    ResourceFacts resource = request.resource();
    return (period == null || period.contains(now))
        && (actions.isEmpty() || actions.contains(request.action()))
        && (purposes.isEmpty() || anyOf(request.purposes(), purposes))
        && classMatches(resource)
        && (codes.isEmpty() || anyOf(resource.codes(), codes))
        && dataPeriodMatches(resource)
        && recipientMatches(request.requester())
        && originMatches(resource)
        && dataMatches(resource);
  }

  private boolean classMatches(ResourceFacts resource) {
    if (resourceTypes.isEmpty() && classes.isEmpty()) {
      return true;
    }
    return resourceTypes.contains(resource.type()) || anyOf(resource.classes(), classes);
  }

  private boolean dataPeriodMatches(ResourceFacts resource) {
    if (dataPeriod == null) {
      return true;
    }
    return resource.dataDate() == null
        ? type == Verdict.DENY
        : dataPeriod.contains(resource.dataDate());
  }

  private boolean recipientMatches(Requester requester) {
    if (recipients.isEmpty()) {
      return true;
    }
    for (Actor actor : recipients) {
      if (actor.matchesRequester(requester)) {
        return true;
      }
    }
    return false;
  }

  private boolean originMatches(ResourceFacts resource) {
    if (origins.isEmpty()) {
      return true;
    }
    if (resource.authors().isEmpty()) {
      return type == Verdict.DENY;
    }
    for (Actor actor : origins) {
      if (resource.authors().contains(actor.reference())) {
        return true;
      }
    }
    return false;
  }

  private boolean dataMatches(ResourceFacts resource) {
    if (data.isEmpty()) {
      return true;
    }
    for (DataRef ref : data) {
      if (ref.matches(resource, type)) {
        return true;
      }
    }
    return false;
  }

  private static <T> boolean anyOf(Set<T> values, Set<T> wanted) {
    for (T value : values) {
      if (wanted.contains(value)) {
        return true;
      }
    }
    return false;
  }
}
