package org.chartproof.server.encryption;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.extractor.BaseSearchParamExtractor;
import ca.uhn.fhir.jpa.searchparam.extractor.ISearchParamExtractor;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.rest.server.util.ResourceSearchParams;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code chartproof.encryption.index-personal-data=false}: HAPI extracts no search index values for
 * the parameters below (its {@code HFJ_SPIDX_*} tables keep values in clear), and searches by them
 * are refused with 400 instead of silently finding nothing. docs/encryption.md lists the effect.
 */
@Interceptor
final class PersonalDataIndex {

  private static final Set<String> PERSON =
      Set.of(
          "name",
          "family",
          "given",
          "phonetic",
          "telecom",
          "phone",
          "email",
          "address",
          "address-city",
          "address-country",
          "address-postalcode",
          "address-state",
          "address-use",
          "birthdate",
          "death-date",
          "identifier");

  /** Per resource type, the parameters not indexed. */
  static final Map<String, Set<String>> NOT_INDEXED =
      Map.of(
          "Patient", PERSON,
          "Person", PERSON,
          "Practitioner", PERSON,
          "RelatedPerson", PERSON,
          "Observation", Set.of("value-string", "code-value-string", "combo-code-value-string"));

  private static final Set<String> ANY =
      NOT_INDEXED.values().stream().flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());

  /**
   * Makes HAPI's search parameter extractor skip the parameters in {@link #NOT_INDEXED}: it sees
   * the registry through a view without them (the registry itself, which searches use, is
   * unchanged).
   */
  static void stopIndexing(ISearchParamExtractor extractor, ISearchParamRegistry registry) {
    ISearchParamRegistry filtered =
        (ISearchParamRegistry)
            Proxy.newProxyInstance(
                ISearchParamRegistry.class.getClassLoader(),
                new Class<?>[] {ISearchParamRegistry.class},
                (proxy, method, args) -> {
                  Object result;
                  try {
                    result = method.invoke(registry, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (method.getName().equals("getActiveSearchParams")
                      && result instanceof ResourceSearchParams params
                      && args != null
                      && args[0] instanceof String type
                      && NOT_INDEXED.containsKey(type)) {
                    ResourceSearchParams copy = params.makeCopy();
                    NOT_INDEXED.get(type).forEach(copy::remove);
                    return copy;
                  }
                  return result;
                });
    ((BaseSearchParamExtractor) extractor).setSearchParamRegistry(filtered);
  }

  /** Refuses a search by a parameter that is not indexed, naming it but not the value. */
  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
  public void refuseUnindexedSearch(RequestDetails request, RestOperationTypeEnum operation) {
    if (operation != RestOperationTypeEnum.SEARCH_TYPE) {
      return;
    }
    Set<String> notIndexed = NOT_INDEXED.getOrDefault(request.getResourceName(), Set.of());
    for (String key : request.getParameters().keySet()) {
      String[] chain = key.split("\\.");
      String first = chain[0].split(":")[0];
      boolean refused = notIndexed.contains(first);
      for (int i = 1; i < chain.length && !refused; i++) {
        refused = ANY.contains(chain[i].split(":")[0]);
      }
      if (refused) {
        throw new InvalidRequestException(
            "Searching by '"
                + key
                + "' is turned off on this server: personal data is not indexed"
                + " (chartproof.encryption.index-personal-data=false). Search by _id, or by"
                + " another parameter, e.g. a reference to the patient.");
      }
    }
  }

  static Stream<String> names() {
    return ANY.stream().sorted();
  }
}
