package org.chartproof.server.erasure;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.delete.DeleteConflictUtil;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.chartproof.server.erasure.CompartmentMembers.Member;
import org.chartproof.server.erasure.CompartmentMembers.PatientRow;
import org.chartproof.server.erasure.ErasureRecords.ErasedResource;
import org.chartproof.server.erasure.ErasureRecords.Erasure;
import org.chartproof.server.ledger.LedgerErasures;
import org.chartproof.server.ledger.LedgerErasures.Recorded;
import org.chartproof.server.ledger.LedgerErasures.ResourceKey;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Erases a patient's record in one database transaction (docs/erasure.md): deletes every resource
 * of their compartment through HAPI, destroys their data key ({@link PatientKeyShredder}, when
 * record encryption is present), destroys the ledger salts of every version of those resources and
 * appends the ERASE entry ({@link LedgerErasures}, when the ledger is on), and records the erasure.
 * A crash or any failure before the commit leaves nothing erased; a second erasure of the same
 * patient changes nothing and returns the first one's record.
 */
final class PatientErasure {

  private static final Logger LOG = LoggerFactory.getLogger(PatientErasure.class);

  /** What an erasure did, or did before when {@code alreadyErased}. */
  record Outcome(Erasure erasure, boolean alreadyErased, int sharedResources, byte[] ledgerEntry) {}

  private final TransactionTemplate transaction;
  private final CompartmentMembers compartment;
  private final ErasureRecords records;
  private final DaoRegistry daos;
  private final FhirContext fhirContext;
  private final ObjectProvider<PatientKeyShredder> shredder;
  private final ObjectProvider<LedgerErasures> ledger;
  private final ErasureProperties.SharedResources sharedPolicy;
  private final Clock clock;

  PatientErasure(
      TransactionTemplate transaction,
      CompartmentMembers compartment,
      ErasureRecords records,
      DaoRegistry daos,
      FhirContext fhirContext,
      ObjectProvider<PatientKeyShredder> shredder,
      ObjectProvider<LedgerErasures> ledger,
      ErasureProperties.SharedResources sharedPolicy,
      Clock clock) {
    this.transaction = transaction;
    this.compartment = compartment;
    this.records = records;
    this.daos = daos;
    this.fhirContext = fhirContext;
    this.shredder = shredder;
    this.ledger = ledger;
    this.sharedPolicy = sharedPolicy;
    this.clock = clock;
  }

  /**
   * @throws ResourceNotFoundException if there never was such a Patient
   * @throws ResourceVersionConflictException if resources outside the compartment still reference
   *     one of its resources, or (with the {@code refuse} policy) a member is shared with another
   *     patient: nothing is erased
   */
  Outcome erase(String patientId) {
    try {
      return transaction.execute(status -> eraseInTransaction(patientId));
    } catch (DuplicateKeyException e) {
      // a concurrent erasure of the same patient committed first: answer its record
      return transaction.execute(status -> eraseInTransaction(patientId));
    }
  }

  private Outcome eraseInTransaction(String patientId) {
    var done = records.find(patientId);
    if (done.isPresent()) {
      return new Outcome(done.get(), true, 0, null);
    }
    PatientRow patient =
        compartment
            .patient(patientId)
            .orElseThrow(
                () -> new ResourceNotFoundException("Patient/" + patientId + " not found"));
    List<Member> members = compartment.of(patientId, patient.pid());
    long shared = members.stream().filter(Member::shared).count();
    if (shared > 0 && sharedPolicy == ErasureProperties.SharedResources.REFUSE) {
      throw new ResourceVersionConflictException(
          shared
              + " resources of this patient's compartment belong to other patients' compartments"
              + " too; nothing was erased (chartproof.erasure.shared-resources=delete erases them"
              + " with this patient)");
    }
    List<IIdType> ids = new ArrayList<>();
    members.forEach(m -> ids.add(m.id()));
    IIdType patientRef = new IdType("Patient", patientId);
    ids.add(patientRef); // last: the others reference it

    // one conflict list with every member marked, so that references among them do not count
    DeleteConflictList conflicts = new DeleteConflictList();
    ids.forEach(conflicts::setResourceIdMarkedForDeletion);
    TransactionDetails details = new TransactionDetails();
    long patientVersion = 0;
    for (IIdType id : ids) {
      DaoMethodOutcome deleted =
          daos.getResourceDao(id.getResourceType())
              .delete(id, conflicts, new SystemRequestDetails(), details);
      if (id == patientRef && deleted.getEntity() != null) {
        patientVersion = deleted.getEntity().getVersion();
      }
    }
    DeleteConflictUtil.validateDeleteConflictsEmptyOrThrowException(fhirContext, conflicts);

    PatientKeyShredder keys = shredder.getIfAvailable();
    if (keys != null) {
      keys.destroyPatientKey(patientId);
    }
    List<ResourceKey> keysOfResources =
        ids.stream().map(id -> new ResourceKey(id.getResourceType(), id.getIdPart())).toList();
    LedgerErasures ledgerErasures = ledger.getIfAvailable();
    // the ERASE entry takes the version after the Patient's deletion: it is not a stored version
    Recorded recorded =
        ledgerErasures == null
            ? null
            : ledgerErasures.erase(patientId, patientVersion + 1, keysOfResources);
    long now = clock.millis();
    Erasure erasure =
        new Erasure(
            patientId,
            now,
            recorded == null ? null : recorded.leafHash(),
            ids.size(),
            recorded == null ? 0 : recorded.erasedEntries(),
            keys != null);
    records.insert(
        erasure,
        keysOfResources.stream().map(k -> new ErasedResource(k.type(), k.id(), now)).toList());
    // ids and counts only: no patient data in logs
    LOG.info(
        "Erased Patient/{}: {} resources, {} ledgered versions, data key {}",
        patientId,
        ids.size(),
        erasure.erasedVersions(),
        keys != null ? "destroyed" : "not present (record encryption is off)");
    return new Outcome(erasure, false, (int) shared, recorded == null ? null : recorded.entry());
  }
}
