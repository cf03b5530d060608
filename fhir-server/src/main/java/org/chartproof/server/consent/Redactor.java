package org.chartproof.server.consent;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.chartproof.consent.Code;
import org.chartproof.consent.Decision;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Partial access (docs/consent.md, "Redaction"): removes from a permitted resource the content that
 * carries a label its {@link Decision} redacts ({@link Decision#redacts}):
 *
 * <ul>
 *   <li>contained resources that carry one, as an inline label on the contained resource (R4 allows
 *       no {@code meta.security} there, dom-5) or in {@code meta.security}, and every reference to
 *       them;
 *   <li>Bundle entries (anywhere in the resource) whose resource carries one, the same way;
 *   <li>elements with a DS4P inline security label ({@value #INLINE_LABEL}, FHIR Data Segmentation
 *       for Privacy 1.0.0) carrying one.
 * </ul>
 *
 * <p>When anything is removed, the narrative goes too (it may describe what was removed) and the
 * result is marked {@code REDACTED} ({@value #OBSERVATION_VALUE}) in {@code meta.security}. The
 * argument is never modified: it may be an object HAPI keeps or shows to another request.
 */
final class Redactor {

  /** The DS4P inline security label extension (valueCoding), allowed on any element. */
  static final String INLINE_LABEL =
      "http://hl7.org/fhir/uv/security-label-ds4p/StructureDefinition/extension-inline-sec-label";

  /** v3 ObservationValue, the system of the REDACTED security label. */
  static final String OBSERVATION_VALUE =
      "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

  static final String REDACTED = "REDACTED";

  /** What HAPI's R4 bundle factory reads from a resource's user data, which copy() drops. */
  private static final List<ResourceMetadataKeyEnum<?>> BUNDLE_ENTRY_KEYS =
      List.of(
          ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE,
          ResourceMetadataKeyEnum.ENTRY_SEARCH_SCORE,
          ResourceMetadataKeyEnum.ENTRY_TRANSACTION_METHOD,
          ResourceMetadataKeyEnum.DELETED_AT,
          ResourceMetadataKeyEnum.PUBLISHED);

  private Redactor() {}

  /** Labelled content that cannot be removed: the caller must show nothing of the resource. */
  static final class NotRedactableException extends RuntimeException {
    NotRedactableException(String message) {
      super(message);
    }
  }

  /**
   * {@code resource} without the content {@code decision} redacts: a new, marked copy if anything
   * was removed, else {@code resource} itself.
   *
   * @throws NotRedactableException if labelled content cannot be removed (an inline label on the
   *     resource itself, an element the model cannot remove, a resource that is not R4)
   */
  static IBaseResource redact(IBaseResource resource, Decision decision) {
    if (decision.redactLabels().isEmpty()) {
      return resource;
    }
    if (!(resource instanceof Resource original)) {
      throw new NotRedactableException("not an R4 resource");
    }
    Resource copy = original.copy();
    for (ResourceMetadataKeyEnum<?> key : BUNDLE_ENTRY_KEYS) {
      Object value = original.getUserData(key.name());
      if (value != null) {
        copy.setUserData(key.name(), value);
      }
    }
    int removed = 0;
    Set<String> removedContained = new HashSet<>();
    if (copy instanceof DomainResource domain) {
      if (decision.redacts(inlineLabels(domain.getExtension()))) {
        throw new NotRedactableException("the resource itself carries an inline label");
      }
      for (Resource contained : List.copyOf(domain.getContained())) {
        if (decision.redacts(labels(contained))) {
          domain.getContained().remove(contained);
          removedContained.add(localId(contained.getIdElement().getValue()));
          removed++;
        }
      }
    }
    removed += prune(copy, decision, removedContained);
    if (removed == 0) {
      return resource;
    }
    if (copy instanceof DomainResource domain) {
      domain.setText(null);
    }
    if (!hasRedactedMark(copy.getMeta())) {
      copy.getMeta().addSecurity(OBSERVATION_VALUE, REDACTED, "redacted");
    }
    return copy;
  }

  /** Removes labelled children of {@code node}, recursively; returns how many. */
  private static int prune(Base node, Decision decision, Set<String> removedContained) {
    int removed = 0;
    for (Property property : node.children()) {
      for (Base child : property.getValues()) {
        if (child == null) {
          continue;
        }
        if (removes(child, decision, removedContained)) {
          try {
            node.removeChild(property.getName(), child);
          } catch (FHIRException e) {
            throw new NotRedactableException("cannot remove " + property.getName());
          }
          removed++;
        } else {
          removed += prune(child, decision, removedContained);
        }
      }
    }
    return removed;
  }

  private static boolean removes(Base child, Decision decision, Set<String> removedContained) {
    if (child instanceof Bundle.BundleEntryComponent entry
        && entry.hasResource()
        && decision.redacts(labels(entry.getResource()))) {
      return true;
    }
    if (child instanceof Reference reference
        && reference.hasReference()
        && reference.getReference().startsWith("#")
        && removedContained.contains(localId(reference.getReference()))) {
      return true;
    }
    return child instanceof Element element
        && element.hasExtension()
        && decision.redacts(inlineLabels(element.getExtension()));
  }

  private static Set<Code> inlineLabels(List<Extension> extensions) {
    Set<Code> labels = new HashSet<>();
    for (Extension extension : extensions) {
      if (INLINE_LABEL.equals(extension.getUrl())
          && extension.getValue() instanceof Coding coding) {
        add(labels, coding);
      }
    }
    return labels;
  }

  /**
   * A nested resource's labels: its {@code meta.security}, and inline labels on the resource
   * itself. R4 forbids security labels on contained resources (dom-5) and HAPI drops a contained
   * resource's meta when it stores it, so an inline label on the contained resource is how it is
   * labelled.
   */
  private static Set<Code> labels(Resource resource) {
    Set<Code> labels = new HashSet<>();
    if (resource.hasMeta()) {
      resource.getMeta().getSecurity().forEach(c -> add(labels, c));
    }
    if (resource instanceof DomainResource domain) {
      labels.addAll(inlineLabels(domain.getExtension()));
    }
    return labels;
  }

  private static void add(Set<Code> labels, Coding coding) {
    if (coding.hasCode() && !coding.getCode().isBlank()) {
      labels.add(new Code(coding.getSystem(), coding.getCode()));
    }
  }

  private static boolean hasRedactedMark(Meta meta) {
    return meta.getSecurity().stream()
        .anyMatch(c -> OBSERVATION_VALUE.equals(c.getSystem()) && REDACTED.equals(c.getCode()));
  }

  /** A contained resource's id as its references name it, without the {@code #}. */
  private static String localId(String id) {
    return id == null ? "" : id.startsWith("#") ? id.substring(1) : id;
  }
}
