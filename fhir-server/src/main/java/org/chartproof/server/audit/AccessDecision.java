package org.chartproof.server.audit;

import java.util.List;
import java.util.Set;
import org.chartproof.consent.Decision;

/**
 * One consent decision for the access log.
 *
 * @param resource the version decided, {@code Observation/1/_history/2}
 * @param patients the patients whose Consents decided ({@code Patient/7}); empty for data of no
 *     patient, which the deployment's base policy decided
 * @param consents the Consent versions the engine was given ({@code Consent/3/_history/1})
 * @param decision the decision, with its reason and rule version
 */
public record AccessDecision(
    String resource, Set<String> patients, List<String> consents, Decision decision) {

  public AccessDecision {
    patients = Set.copyOf(patients);
    consents = List.copyOf(consents);
  }
}
