package org.chartproof.server.ledger;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.chartproof.ledger.entry.Commitment;
import org.chartproof.ledger.entry.InvalidEntryException;
import org.chartproof.ledger.entry.LedgerEntry;
import org.chartproof.ledger.merkle.InclusionProof;
import org.chartproof.ledger.merkle.MerkleTree;
import org.chartproof.server.ledger.AnchorStatus.AnchorRecord;
import org.chartproof.server.ledger.LedgerStore.StoredCheckpoint;
import org.chartproof.server.ledger.LedgerStore.VersionEntry;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;

/**
 * {@code GET [type]/[id]/$ledger-proof} (current version) and {@code GET
 * [type]/[id]/_history/[vid]/$ledger-proof}: everything a reader needs to check a version against
 * the signed log without trusting the server. The Parameters layout is specified in docs/ledger.md;
 * its names are part of the product.
 *
 * <p>An erased version ({@code Patient/[id]/$erase}) keeps its entry and proof but has no salt:
 * {@code status = erased} instead of {@code included}.
 *
 * <p>While the version's entry waits for the sequencer (at most one checkpoint interval) the answer
 * is {@code status = pending} with the entry and salt but no proof, and a {@code Retry-After}
 * header.
 */
final class LedgerProofOperation {

  static final String CANONICALIZATION = "urn:ietf:rfc:8785";
  // The largest tree an R4 integer can describe; R5's integer64 would lift it.
  private static final long MAX_R4_INTEGER = Integer.MAX_VALUE;

  private final FhirContext fhirContext;
  private final LedgerStore store;
  private final String anchorContract;
  private final DaoRegistry daos;
  private final Map<String, BatchedRecords> batches;

  /**
   * @param anchorContract the anchor contract's address when anchoring is on, else {@code null}
   * @param batches types kept outside HAPI's tables and ledgered in batches; others are read
   *     through {@code daos}
   */
  LedgerProofOperation(
      FhirContext fhirContext,
      LedgerStore store,
      String anchorContract,
      DaoRegistry daos,
      List<BatchedRecords> batches) {
    this.fhirContext = fhirContext;
    this.store = store;
    this.anchorContract = anchorContract;
    this.daos = daos;
    this.batches =
        batches.stream()
            .collect(Collectors.toUnmodifiableMap(BatchedRecords::resourceType, b -> b));
  }

  @Operation(name = "$ledger-proof", idempotent = true, global = true)
  public Parameters ledgerProof(@IdParam IIdType id, RequestDetails request) {
    String type = id.getResourceType();
    if (type == null || fhirContext.getResourceTypes().stream().noneMatch(type::equals)) {
      throw new InvalidRequestException("Unknown resource type: " + type);
    }
    BatchedRecords batched = batches.get(type);
    if (batched != null) {
      return batchedProof(batched, id, request);
    }
    Long version = id.hasVersionIdPart() ? parseVersion(id.getVersionIdPart()) : null;
    VersionEntry found =
        store
            .entryFor(type, id.getIdPart(), version)
            .orElseThrow(
                () ->
                    new ResourceNotFoundException(
                        "No ledger entry for "
                            + id.toUnqualified().getValue()
                            + ": the version does not exist or was written before the ledger"
                            + " was enabled"));
    LedgerEntry entry = parse(found.entry());
    if (found.salt() != null) {
      // the salt opens the commitment: only for whoever may read the version
      checkReadable(type, id.getIdPart(), found.version(), request);
    }
    Parameters result =
        describe(
            type + "/" + id.getIdPart(),
            found.version(),
            entry.operation(),
            found.entry(),
            found.salt());
    // a version with content but no salt was erased on request: its commitment can no longer be
    // opened, but the entry and its place in the log are still proven (docs/erasure.md)
    boolean erased = entry.operation().hasContent() && found.salt() == null;
    return prove(result, found, erased, request);
  }

  /**
   * A record ledgered in a batch (an access-log AuditEvent): the batch entry's proof, plus the
   * record's path inside the batch ({@code batchIndex}, {@code batchSize}, {@code batchProof}).
   */
  private Parameters batchedProof(BatchedRecords batched, IIdType id, RequestDetails request) {
    if (id.hasVersionIdPart() && parseVersion(id.getVersionIdPart()) != 1) {
      throw new ResourceNotFoundException(id);
    }
    IIdType versionId = new IdType(batched.resourceType(), id.getIdPart(), "1");
    BatchedRecords.Member member =
        batched
            .find(versionId, request)
            .orElseThrow(
                () ->
                    new ResourceNotFoundException(
                        "No ledger entry for "
                            + versionId.toUnqualifiedVersionless().getValue()
                            + ": it was recorded while the ledger was off"));
    String resource = versionId.toUnqualifiedVersionless().getValue();
    if (member.batchId() == null) {
      // its batch gets an entry with the next checkpoint interval: no entry to show yet
      return pending(
          describe(resource, 1, org.chartproof.ledger.entry.Operation.ACCESS, null, member.salt()),
          request);
    }
    VersionEntry found =
        store
            .entryFor(LedgerEntry.ACCESS_TYPE, member.batchId(), 1L)
            .orElseThrow(
                () ->
                    new InternalErrorException(
                        "The ledger entry of a recorded batch is missing (run the verify command)"));
    LedgerEntry entry = parse(found.entry());
    Parameters result = describe(resource, 1, entry.operation(), found.entry(), member.salt());
    List<byte[]> leaves = LedgerRecords.leaves(member.commitments());
    result.addParameter().setName("batchIndex").setValue(new IntegerType(member.index()));
    result.addParameter().setName("batchSize").setValue(new IntegerType(leaves.size()));
    for (byte[] hash : MerkleTree.inclusionProof(leaves, member.index())) {
      result.addParameter().setName("batchProof").setValue(new Base64BinaryType(hash));
    }
    return prove(result, found, false, request);
  }

  /**
   * The parameters that describe the proven version and how its content is committed to, in the
   * documented order; {@link #prove} or {@link #pending} puts the {@code status} first.
   *
   * @param entry the entry's bytes, or null while a batched record has no entry yet
   * @param salt the version's salt, or null when it has none
   */
  private static Parameters describe(
      String resource,
      long version,
      org.chartproof.ledger.entry.Operation operation,
      byte[] entry,
      byte[] salt) {
    Parameters result = new Parameters();
    result.addParameter().setName("resource").setValue(new Reference(resource));
    result.addParameter().setName("versionId").setValue(new StringType(Long.toString(version)));
    result
        .addParameter()
        .setName("operation")
        .setValue(new CodeType(operation.name().toLowerCase(Locale.ROOT)));
    if (entry != null) {
      result.addParameter().setName("entry").setValue(new Base64BinaryType(entry));
    }
    if (salt != null) {
      result.addParameter().setName("salt").setValue(new Base64BinaryType(salt));
    }
    result.addParameter().setName("canonicalization").setValue(new UriType(CANONICALIZATION));
    result
        .addParameter()
        .setName("commitmentScheme")
        .setValue(new StringType(Commitment.DOMAIN.strip()));
    return result;
  }

  private static Parameters withStatus(Parameters result, String status) {
    result
        .getParameter()
        .add(
            0, new ParametersParameterComponent().setName("status").setValue(new CodeType(status)));
    return result;
  }

  /** The answer while the entry is not in a signed checkpoint yet: ask again in a second. */
  private static Parameters pending(Parameters result, RequestDetails request) {
    if (request instanceof ServletRequestDetails servlet) {
      servlet.getServletResponse().setHeader("Retry-After", "1");
    }
    return withStatus(result, "pending");
  }

  /** Adds the entry's inclusion proof, checkpoint and anchor, or marks the answer pending. */
  private Parameters prove(
      Parameters result, VersionEntry found, boolean erased, RequestDetails request) {
    // Prove against the newest anchored checkpoint once the entry is anchored, so the chain
    // covers the proof; until then against the newest checkpoint.
    Optional<AnchorRecord> anchor =
        anchorContract == null || found.leafIndex() == null
            ? Optional.empty()
            : store.latestAnchor().filter(a -> found.leafIndex() < a.treeSize());
    StoredCheckpoint checkpoint =
        anchor
            .flatMap(a -> store.checkpointAtHeight(a.checkpointHeight()))
            .or(store::latestCheckpoint)
            .orElse(null);
    if (anchor.isPresent() && checkpoint.height() != anchor.get().checkpointHeight()) {
      anchor = Optional.empty();
    }
    boolean included =
        found.leafIndex() != null
            && checkpoint != null
            && found.leafIndex() < checkpoint.treeSize();
    if (!included) {
      return pending(result, request);
    }
    withStatus(result, erased ? "erased" : "included");
    if (checkpoint.treeSize() > MAX_R4_INTEGER) {
      throw new InternalErrorException("tree size exceeds what an R4 integer can carry");
    }
    result
        .addParameter()
        .setName("leafIndex")
        .setValue(new IntegerType(Math.toIntExact(found.leafIndex())));
    result
        .addParameter()
        .setName("treeSize")
        .setValue(new IntegerType(Math.toIntExact(checkpoint.treeSize())));
    for (byte[] hash : InclusionProof.build(found.leafIndex(), checkpoint.treeSize(), store)) {
      result.addParameter().setName("inclusionProof").setValue(new Base64BinaryType(hash));
    }
    result
        .addParameter()
        .setName("checkpoint")
        .setValue(new StringType(new String(checkpoint.note(), StandardCharsets.UTF_8)));
    if (anchorContract != null) {
      addAnchor(result, anchor);
    }
    return result;
  }

  /**
   * The anchor covering the proof's checkpoint, as this server recorded it; a reader confirms it on
   * the chain itself ({@code anchorAt(index)} returns the same tree size, root and checkpoint
   * hash). {@code anchorStatus = pending} until the entry is anchored.
   */
  private void addAnchor(Parameters result, Optional<AnchorRecord> anchor) {
    if (anchor.isEmpty()) {
      result.addParameter().setName("anchorStatus").setValue(new CodeType("pending"));
      return;
    }
    AnchorRecord record = anchor.get();
    result.addParameter().setName("anchorStatus").setValue(new CodeType("anchored"));
    ParametersParameterComponent part = result.addParameter().setName("anchor");
    part.addPart().setName("contract").setValue(new StringType(anchorContract));
    part.addPart().setName("index").setValue(new IntegerType(Math.toIntExact(record.index())));
    part.addPart()
        .setName("treeSize")
        .setValue(new IntegerType(Math.toIntExact(record.treeSize())));
    if (record.transactionHash() != null) {
      part.addPart().setName("transactionHash").setValue(new StringType(record.transactionHash()));
    }
    part.addPart()
        .setName("blockNumber")
        .setValue(new StringType(Long.toString(record.blockNumber())));
  }

  /** Throws unless the request may read the version, as reading it would (404 or 403). */
  private void checkReadable(String type, String id, long version, RequestDetails request) {
    IIdType versionId = new IdType(type, id, Long.toString(version));
    if (!daos.isResourceTypeSupported(type)) {
      throw new ResourceNotFoundException(versionId);
    } else {
      daos.getResourceDao(type).read(versionId, request);
    }
  }

  private static long parseVersion(String version) {
    try {
      return Long.parseLong(version);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("Version must be a number: " + version);
    }
  }

  private static LedgerEntry parse(byte[] bytes) {
    try {
      return LedgerEntry.parse(bytes);
    } catch (InvalidEntryException e) {
      // The stored entry no longer parses: the ledger table was altered (run the verify command).
      throw new InternalErrorException("The stored ledger entry is malformed: " + e.getMessage());
    }
  }
}
