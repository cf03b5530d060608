package org.chartproof.server.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Consent;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Bumps the consent epoch ({@link ConsentEpochs}) inside the transaction of every Consent write, so
 * that cached Consents are reloaded on every instance from the next request on; and of every
 * CareTeam, Group and PractitionerRole write, so that cached requesters are ({@link
 * RequesterResolver}). Registered on HAPI's JPA interceptor service: writes inside transaction
 * bundles and internal writes count too. PRECOMMIT hooks see resolved references (a bundle's
 * urn:uuid placeholders are replaced by then).
 *
 * <p>Once the write's transaction has committed, and before the write answers, every instance has
 * seen the new epoch ({@link EpochLease#awaitSeen}).
 */
@Interceptor
final class ConsentChangeTracker {

  private final ConsentEpochs epochs;
  private final EpochLease lease;

  ConsentChangeTracker(ConsentEpochs epochs, EpochLease lease) {
    this.epochs = epochs;
    this.lease = lease;
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource) {
    changed(resource, null);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  public void updated(IBaseResource oldResource, IBaseResource newResource) {
    changed(oldResource, newResource);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
  public void deleted(IBaseResource resource) {
    changed(resource, null);
  }

  private void changed(IBaseResource first, IBaseResource second) {
    if (RequesterResolver.MEMBERSHIP_TYPES.contains(first.fhirType())) {
      bump(Set.of(RequesterResolver.MEMBERSHIPS));
      return;
    }
    if (!(first instanceof Consent) && !(second instanceof Consent)) {
      return;
    }
    Set<String> patients = new TreeSet<>();
    for (IBaseResource resource : new IBaseResource[] {first, second}) {
      if (resource instanceof Consent consent) {
        IIdType patient = consent.getPatient().getReferenceElement();
        if ("Patient".equals(patient.getResourceType()) && patient.hasIdPart()) {
          patients.add(patient.getIdPart());
        }
      }
    }
    bump(patients);
  }

  private void bump(Set<String> stamps) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      // HAPI writes in Spring-managed transactions; without one, when it commits is unknown
      throw new IllegalStateException("a Consent or membership write outside a transaction");
    }
    long epoch = epochs.bump(stamps);
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            lease.awaitSeen(epoch);
          }
        });
  }
}
