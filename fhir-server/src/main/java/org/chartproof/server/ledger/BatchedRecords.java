package org.chartproof.server.ledger;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Records the server keeps outside HAPI's tables and ledgers in batches ({@link
 * LedgerRecords#appendBatch}): where {@code $ledger-proof} finds a record's place in its batch. A
 * type registers its implementation as a bean.
 */
public interface BatchedRecords {

  /**
   * A record's place in its batch.
   *
   * @param batchId the batch, named by its ledger entry; null while the batch has no entry yet
   * @param index the record's leaf index in the batch
   * @param salt opens the record's commitment
   * @param commitments every record commitment of the batch, in order (the batch tree's leaves)
   */
  record Member(String batchId, int index, byte[] salt, List<byte[]> commitments) {

    /** A record whose batch is not ledgered yet. */
    public static Member pending(byte[] salt) {
      return new Member(null, -1, salt, List.of());
    }
  }

  /** The resource type of the records. */
  String resourceType();

  /**
   * Finds {@code version}'s record, if the request may read it: a proof carries the salt that opens
   * the commitment, so it goes only to those who may read the record itself.
   *
   * @return empty if the record exists but was not ledgered (the ledger was off)
   * @throws RuntimeException the exception a read would throw (404 when absent or hidden, 403 when
   *     forbidden)
   */
  Optional<Member> find(IIdType version, RequestDetails request);
}
