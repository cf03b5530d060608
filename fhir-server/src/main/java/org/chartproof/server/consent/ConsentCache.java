package org.chartproof.server.consent;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.List;
import org.chartproof.consent.CompiledConsent;
import org.chartproof.consent.ConsentEngine;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A patient's active Consents, compiled once per Consent version and kept in memory until a Consent
 * write for that patient commits (on any instance: {@link ConsentEpochs}, {@link EpochCache}).
 *
 * <p>Consents are searched in a transaction of their own: a request that writes (a Consent creation
 * echoes the new resource through the consent checks) must not cache what its own uncommitted
 * transaction sees, which could still roll back.
 */
final class ConsentCache {

  /** More active Consents than this for one patient are refused rather than half-read. */
  static final int MAX_CONSENTS = 1000;

  private final ConsentEngine engine;
  private final IFhirResourceDao<Consent> consents;
  private final EpochCache<List<CompiledConsent>> byPatient;
  private final Cache<String, CompiledConsent> byVersion;
  private final TransactionTemplate committedOnly;

  ConsentCache(
      ConsentEngine engine,
      IFhirResourceDao<Consent> consents,
      ConsentEpochs epochs,
      PlatformTransactionManager transactions,
      int size) {
    this.engine = engine;
    this.consents = consents;
    this.committedOnly = new TransactionTemplate(transactions);
    committedOnly.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    committedOnly.setReadOnly(true);
    this.byPatient = new EpochCache<>(epochs, size);
    this.byVersion = Caffeine.newBuilder().maximumSize(size).build();
  }

  /**
   * The active Consents of {@code patient} ({@code Patient/id}) as of {@code epoch}, an epoch the
   * caller read from {@link ConsentEpochs#current()} before calling.
   */
  List<CompiledConsent> activeConsents(String patient, long epoch) {
    String id = patient.substring("Patient/".length());
    return byPatient.get(patient, id, epoch, () -> load(patient));
  }

  private List<CompiledConsent> load(String patient) {
    SearchParameterMap search = SearchParameterMap.newSynchronous();
    search.add(Consent.SP_PATIENT, new ReferenceParam(patient));
    search.add(Consent.SP_STATUS, new TokenParam("active"));
    search.setLoadSynchronousUpTo(MAX_CONSENTS + 1);
    List<IBaseResource> found =
        committedOnly.execute(
            status -> consents.search(search, new SystemRequestDetails()).getAllResources());
    if (found.size() > MAX_CONSENTS) {
      throw new IllegalStateException(
          "a patient has more than " + MAX_CONSENTS + " active Consents");
    }
    List<CompiledConsent> compiled = new ArrayList<>(found.size());
    for (IBaseResource resource : found) {
      Consent consent = (Consent) resource;
      String key = consent.getIdElement().toUnqualified().getValue();
      compiled.add(byVersion.get(key, k -> engine.compile(consent)));
    }
    return List.copyOf(compiled);
  }
}
