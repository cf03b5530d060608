package org.chartproof.server.consent;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.util.FhirTerser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.chartproof.consent.Code;
import org.chartproof.consent.ResourceFacts;
import org.chartproof.server.fhir.PatientCompartment;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads what the consent engine needs to know about a stored R4 resource: whose it is (HAPI's
 * Patient compartment definitions) and its {@link ResourceFacts}. Generic over resource types: the
 * facts come from elements named alike across R4 (code, category, effective[x], performer...), so a
 * type no one listed still yields its codes and dates.
 *
 * <p>Missing facts stay missing (no date, no authors): the engine makes sure that never widens
 * access. {@code referencedBy} is always empty: the server does not yet resolve reverse references
 * (Consent data meaning {@code related} then matches only the resource itself).
 */
final class ResourceFactsReader {

  /** Elements whose codings are the resource's codes (Consent.provision.code). */
  private static final List<String> CODE_ELEMENTS =
      List.of(
          "code",
          "category",
          "type",
          "class",
          "medicationCodeableConcept",
          "vaccineCode",
          "serviceType",
          "specialty");

  /** Elements that say when the data is about, in order of preference (Consent dataPeriod). */
  private static final List<String> DATE_ELEMENTS =
      List.of(
          "effective",
          "occurrence",
          "performed",
          "onset",
          "authoredOn",
          "issued",
          "recordedDate",
          "recorded",
          "date",
          "period",
          "created");

  /** Elements naming who authored, performed or holds the data (Consent actor AUT/CST/INF). */
  private static final List<String> AUTHOR_ELEMENTS =
      List.of(
          "author",
          "performer",
          "requester",
          "recorder",
          "asserter",
          "custodian",
          "resultsInterpreter",
          "source");

  private final FhirContext fhirContext;
  private final FhirTerser terser;
  private final PatientCompartment compartment;

  ResourceFactsReader(FhirContext fhirContext) {
    this.fhirContext = fhirContext;
    this.terser = fhirContext.newTerser();
    this.compartment = new PatientCompartment(fhirContext);
  }

  /** Whether resources of this type can belong to a patient (Patient compartment, or Patient). */
  boolean isPatientData(String type) {
    return compartment.holds(type);
  }

  /**
   * The patients ({@code Patient/id}) whose compartment the resource is in, sorted; a Patient is
   * its own. Empty if it names no patient (e.g. an Observation about a device).
   */
  Set<String> patients(IBaseResource resource) {
    return compartment.owners(resource);
  }

  /**
   * Only which resource it is, for a decision without Consents: the engine then decides on the
   * requester and the purpose of use alone, and reading the facts (a walk over every element) would
   * cost more than the decision.
   */
  ResourceFacts identity(IBaseResource resource) {
    IIdType id = resource.getIdElement();
    return ResourceFacts.identity(
        fhirContext.getResourceType(resource), id.getIdPart(), id.getVersionIdPart());
  }

  /** The facts of a stored resource (it must have an id). */
  ResourceFacts facts(IBaseResource resource) {
    Resource r4 = (Resource) resource;
    String type = fhirContext.getResourceType(resource);
    IIdType id = resource.getIdElement();
    RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(type);
    Set<Code> labels = new HashSet<>();
    r4.getMeta().getSecurity().forEach(c -> add(labels, c));
    Set<Code> codes = new HashSet<>();
    for (String element : CODE_ELEMENTS) {
      for (IBase value : values(definition, resource, element)) {
        if (value instanceof CodeableConcept concept) {
          concept.getCoding().forEach(c -> add(codes, c));
        } else if (value instanceof Coding coding) {
          add(codes, coding);
        }
      }
    }
    Set<Code> classes = new HashSet<>();
    for (CanonicalType profile : r4.getMeta().getProfile()) {
      if (profile.hasValue()) {
        classes.add(new Code(null, profile.getValue()));
      }
    }
    Set<String> authors = new HashSet<>();
    for (String element : AUTHOR_ELEMENTS) {
      for (IBase value : values(definition, resource, element)) {
        if (value instanceof IBaseReference reference) {
          addReference(authors, reference);
        }
      }
    }
    Set<String> references = new HashSet<>();
    for (IBaseReference reference :
        terser.getAllPopulatedChildElementsOfType(resource, IBaseReference.class)) {
      addReference(references, reference);
    }
    return new ResourceFacts(
        type,
        id.getIdPart(),
        id.getVersionIdPart(),
        labels,
        codes,
        classes,
        dataDate(definition, resource),
        authors,
        references,
        Set.of());
  }

  private Instant dataDate(RuntimeResourceDefinition definition, IBaseResource resource) {
    for (String element : DATE_ELEMENTS) {
      for (IBase value : values(definition, resource, element)) {
        if (value instanceof BaseDateTimeType date && date.getValue() != null) {
          return date.getValue().toInstant();
        }
        if (value instanceof Period period && period.getStart() != null) {
          return period.getStart().toInstant();
        }
      }
    }
    return null;
  }

  /** The values of a top-level element (choice types by their base name, e.g. effective[x]). */
  private static List<IBase> values(
      RuntimeResourceDefinition definition, IBaseResource resource, String name) {
    BaseRuntimeChildDefinition child = definition.getChildByName(name);
    if (child == null) {
      child = definition.getChildByName(name + "[x]");
    }
    return child == null ? List.of() : new ArrayList<>(child.getAccessor().getValues(resource));
  }

  private static void add(Set<Code> codes, Coding coding) {
    if (coding.hasCode() && !coding.getCode().isBlank()) {
      codes.add(new Code(coding.getSystem(), coding.getCode()));
    }
  }

  /** Adds a literal {@code Type/id} reference; contained, urn: and logical references are not. */
  private static void addReference(Set<String> into, IBaseReference reference) {
    IIdType target = reference.getReferenceElement();
    if (target != null
        && !target.isLocal()
        && target.hasResourceType()
        && target.hasIdPart()
        && Character.isUpperCase(target.getResourceType().charAt(0))
        && !target.getValue().startsWith("urn:")) {
      into.add(target.getResourceType() + "/" + target.getIdPart());
    }
  }
}
