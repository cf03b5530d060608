package org.chartproof.server.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.HasParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.util.ICachedSearchDetails;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.chartproof.server.auth.SharedTypes;

/**
 * Refuses searches whose criteria range over resources the requester may not see
 * (docs/adr/0012-consent-redaction-and-cross-resource-searches.md): consent filters the resources a
 * search returns, not the ones its criteria look at, so {@code
 * Patient?_has:Observation:subject:code=<HIV test>} would tell whether a patient has a hidden HIV
 * test, and {@code Observation?subject.name=Smith} would tell a hidden patient's name. Refused with
 * 403 and an OperationOutcome, for every search of a consent-checked request (transaction GET
 * entries and conditional-write matches too, which all register their searches here):
 *
 * <ul>
 *   <li>{@code _has} (reverse chaining) and {@code _filter};
 *   <li>chained parameters, except one link to a reference parameter all of whose targets are
 *       reference data ({@link SharedTypes}), which consents do not decide ({@code
 *       Encounter?service-provider.name=...}, {@code Observation?performer:Practitioner.name=...});
 *   <li>sorting by a chained parameter.
 * </ul>
 *
 * Searches made by the server itself (no consent-checked request) are not looked at.
 */
@Interceptor
final class ConsentSearchRule {

  private final FhirContext fhirContext;

  ConsentSearchRule(FhirContext fhirContext) {
    this.fhirContext = fhirContext;
  }

  /**
   * Checks a search before it runs.
   *
   * @throws ForbiddenOperationException if it has a criterion over resources the requester may not
   *     be permitted to see
   */
  @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
  public void check(
      RequestDetails request, SearchParameterMap parameters, ICachedSearchDetails search) {
    if (AccessContext.of(request) == null) {
      return; // not a consent-checked request: the server's own searches
    }
    String type = search.getResourceType();
    for (Map.Entry<String, List<List<IQueryParameterType>>> parameter : parameters.entrySet()) {
      String name = parameter.getKey();
      if (name.equals(Constants.PARAM_HAS) || name.equals(Constants.PARAM_FILTER)) {
        throw refused(name + " searches");
      }
      for (List<IQueryParameterType> alternatives : parameter.getValue()) {
        for (IQueryParameterType value : alternatives) {
          if (value instanceof HasParam) {
            throw refused("_has searches");
          }
          if (value instanceof ReferenceParam reference
              && reference.hasChain()
              && !withinReferenceData(type, name, reference)) {
            throw refused("Chained parameters (" + name + "." + reference.getChain() + ")");
          }
        }
      }
    }
    for (SortSpec sort = parameters.getSort(); sort != null; sort = sort.getChain()) {
      if (sort.getParamName() != null && sort.getParamName().contains(".")) {
        throw refused("Sorting by a chained parameter");
      }
    }
  }

  /**
   * A one-link chain whose every possible target is reference data, which nobody's Consent hides.
   */
  private boolean withinReferenceData(String type, String name, ReferenceParam reference) {
    if (reference.getChain().contains(".") || type == null) {
      return false;
    }
    if (reference.getResourceType() != null) {
      return SharedTypes.NAMES.contains(reference.getResourceType());
    }
    RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(type);
    RuntimeSearchParam parameter = definition.getSearchParam(name);
    Set<String> targets = parameter == null ? Set.of() : parameter.getTargets();
    return !targets.isEmpty() && SharedTypes.NAMES.containsAll(targets);
  }

  private static ForbiddenOperationException refused(String what) {
    return new ForbiddenOperationException(
        what
            + " are not available while patients' Consents are enforced: their criteria would"
            + " look at resources the requester may not see. Search the referenced resources"
            + " first, then by reference (e.g. subject=Patient/123).");
  }
}
