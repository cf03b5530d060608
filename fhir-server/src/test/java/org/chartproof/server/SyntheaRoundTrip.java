package org.chartproof.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Posts Synthea bundles and checks that every resource reads back exactly as it was sent, once the
 * server's own changes are accounted for: the id it assigned, its meta (version, time, source), and
 * references it resolved ({@code urn:uuid:} placeholders and conditional references such as {@code
 * Practitioner?identifier=...}).
 */
final class SyntheaRoundTrip {

  record Report(int resourcesCompared, List<String> mismatches) {}

  private record Stored(Resource sent, IdType location, Map<String, String> placeholders) {}

  private final FhirContext fhir;
  private final IGenericClient client;
  private final IParser parser;
  private final List<Stored> stored = new ArrayList<>();
  private final Map<String, String> conditionalTargets = new HashMap<>();

  SyntheaRoundTrip(FhirContext fhir, IGenericClient client) {
    this.fhir = fhir;
    this.client = client;
    this.parser = fhir.newJsonParser();
  }

  /**
   * @throws AssertionError if any entry of the bundle was not stored
   */
  void post(Path bundleFile) {
    Bundle bundle;
    try {
      bundle = parser.parseResource(Bundle.class, Files.readString(bundleFile));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Bundle response = client.transaction().withBundle(bundle).execute();
    Map<String, String> placeholders = new HashMap<>();
    for (int i = 0; i < bundle.getEntry().size(); i++) {
      BundleEntryComponent sent = bundle.getEntry().get(i);
      Bundle.BundleEntryResponseComponent answer = response.getEntry().get(i).getResponse();
      if (!answer.getStatus().startsWith("20")) {
        throw new AssertionError(
            bundleFile.getFileName() + " entry " + i + " answered " + answer.getStatus());
      }
      IdType location = new IdType(answer.getLocation());
      placeholders.put(sent.getFullUrl(), location.toUnqualifiedVersionless().getValue());
      stored.add(new Stored(sent.getResource(), location, placeholders));
    }
  }

  Report readBackEverything() {
    List<String> mismatches = new ArrayList<>();
    for (Stored entry : stored) {
      IBaseResource actual =
          client.read().resource(entry.sent().getClass()).withUrl(entry.location()).execute();
      String expectedJson = normalized(expected(entry));
      String actualJson = normalized((Resource) actual);
      if (!expectedJson.equals(actualJson)) {
        mismatches.add(
            entry.location().getValue() + "\n sent: " + expectedJson + "\n read: " + actualJson);
      }
    }
    return new Report(stored.size(), mismatches);
  }

  private Resource expected(Stored entry) {
    Resource expected = entry.sent().copy();
    expected.setId(entry.location().toUnqualifiedVersionless());
    for (Reference reference :
        fhir.newTerser().getAllPopulatedChildElementsOfType(expected, Reference.class)) {
      String target = reference.getReference();
      if (target == null) {
        continue;
      }
      if (entry.placeholders().containsKey(target)) {
        reference.setReference(entry.placeholders().get(target));
      } else if (target.contains("?")) {
        reference.setReference(conditionalTargets.computeIfAbsent(target, this::resolve));
      }
    }
    return expected;
  }

  private String resolve(String conditionalReference) {
    Bundle matches =
        client.search().byUrl(conditionalReference).returnBundle(Bundle.class).execute();
    if (matches.getEntry().size() != 1) {
      throw new AssertionError(
          conditionalReference + " matches " + matches.getEntry().size() + " resources");
    }
    return matches
        .getEntryFirstRep()
        .getResource()
        .getIdElement()
        .toUnqualifiedVersionless()
        .getValue();
  }

  /**
   * JSON without what the server sets itself (version, last-updated time, source) and with
   * meta.profile sorted: HAPI stores profiles as a set, and FHIR gives their order no meaning
   * (ElementDefinition.orderMeaning is absent for Meta.profile).
   */
  private String normalized(Resource resource) {
    Resource copy = resource.copy();
    copy.setId(copy.getIdElement().toUnqualifiedVersionless().getIdPart());
    copy.getMeta().setVersionId(null).setLastUpdated(null).setSource(null);
    copy.getMeta().getProfile().sort(Comparator.comparing(CanonicalType::getValue));
    if (copy.getMeta().isEmpty()) {
      copy.setMeta(null);
    }
    return parser.encodeResourceToString(copy);
  }
}
