package org.chartproof.server.erasure;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.Date;
import java.util.function.BooleanSupplier;
import org.chartproof.server.auth.Administrators;
import org.chartproof.server.erasure.ErasureRecords.Erasure;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code POST [base]/Patient/[id]/$erase}: erases the patient's record on request
 * (docs/erasure.md), for administrators only ({@link Administrators}). Answers a {@code Parameters}
 * summary of counts and the ledger entry, never patient data; a second call answers the first
 * erasure's summary with {@code status = already-erased}.
 */
final class ErasureOperation {

  private final PatientErasure erasure;
  private final Administrators administrators;
  private final BooleanSupplier openToEveryone;

  /**
   * @param openToEveryone whether requests without an administrator's token may erase
   *     (authorization off and {@code chartproof.erasure.allow-without-authorization=true})
   */
  ErasureOperation(
      PatientErasure erasure, Administrators administrators, BooleanSupplier openToEveryone) {
    this.erasure = erasure;
    this.administrators = administrators;
    this.openToEveryone = openToEveryone;
  }

  @Operation(name = "$erase", idempotent = false, type = Patient.class)
  public Parameters erase(@IdParam IdType id) {
    if (administrators.current().isEmpty() && !openToEveryone.getAsBoolean()) {
      throw new ForbiddenOperationException(
          "Only an administrator (a Backend Services client configured with admin: true) may"
              + " erase a patient's record");
    }
    PatientErasure.Outcome outcome = erasure.erase(id.getIdPart());
    Erasure done = outcome.erasure();
    Parameters summary = new Parameters();
    summary
        .addParameter()
        .setName("status")
        .setValue(new CodeType(outcome.alreadyErased() ? "already-erased" : "erased"));
    summary
        .addParameter()
        .setName("patient")
        .setValue(new Reference("Patient/" + done.patientId()));
    summary
        .addParameter()
        .setName("erasedAt")
        .setValue(new InstantType(new Date(done.erasedAtMillis())));
    summary.addParameter().setName("resources").setValue(new IntegerType(done.resources()));
    summary
        .addParameter()
        .setName("erasedVersions")
        .setValue(new IntegerType(done.erasedVersions()));
    if (!outcome.alreadyErased()) {
      summary
          .addParameter()
          .setName("sharedResources")
          .setValue(new IntegerType(outcome.sharedResources()));
    }
    summary.addParameter().setName("keyDestroyed").setValue(new BooleanType(done.keyDestroyed()));
    if (done.eraseEntry() != null) {
      summary.addParameter().setName("ledgerLeafHash").setValue(new StringType(done.eraseEntry()));
    }
    if (outcome.ledgerEntry() != null) {
      summary
          .addParameter()
          .setName("ledgerEntry")
          .setValue(new Base64BinaryType(outcome.ledgerEntry()));
    }
    return summary;
  }
}
