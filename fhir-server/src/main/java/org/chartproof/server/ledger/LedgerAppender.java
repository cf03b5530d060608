package org.chartproof.server.ledger;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.security.SecureRandom;
import java.time.Clock;
import org.chartproof.ledger.entry.Commitment;
import org.chartproof.ledger.entry.InvalidJsonException;
import org.chartproof.ledger.entry.LedgerEntry;
import org.chartproof.ledger.entry.Operation;
import org.chartproof.ledger.entry.PseudonymKey;
import org.chartproof.ledger.entry.Salt;
import org.chartproof.server.auth.AccessIdentity;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Appends one ledger entry per create, update and delete, inside the write's own database
 * transaction (HAPI's {@code STORAGE_PRECOMMIT_RESOURCE_*} hooks, registered on the JPA interceptor
 * service so that bundles and internal writes are covered): the write and its entry commit together
 * or not at all. Any failure here rolls the write back.
 *
 * <p>PRECOMMIT sees the final id, version and meta, and the JSON serialized here is what a later
 * read of that version returns, so a reader can recompute the commitment.
 */
@Interceptor
final class LedgerAppender {

  /**
   * Recorded as the actor of writes that carry no access token: with {@code
   * chartproof.auth.mode=off}, and writes the server makes itself.
   */
  static final String UNAUTHENTICATED_ACTOR = "unauthenticated";

  private final FhirContext fhirContext;
  private final LedgerStore store;
  private final PseudonymKey pseudonyms;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  LedgerAppender(FhirContext fhirContext, LedgerStore store, PseudonymKey pseudonyms, Clock clock) {
    this.fhirContext = fhirContext;
    this.store = store;
    this.pseudonyms = pseudonyms;
    this.clock = clock;
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource) {
    appendWithContent(Operation.CREATE, resource);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  public void updated(IBaseResource oldResource, IBaseResource newResource) {
    appendWithContent(Operation.UPDATE, newResource);
  }

  /**
   * HAPI stores a deletion as a new version and passes the deleted resource carrying that new
   * version's id (BaseHapiFhirResourceDao sets it before calling the hook).
   */
  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
  public void deleted(IBaseResource deleted) {
    IIdType id = deleted.getIdElement();
    append(
        Operation.DELETE,
        fhirContext.getResourceType(deleted),
        id.getIdPart(),
        Long.parseLong(id.getVersionIdPart()),
        null,
        Commitment.NONE);
  }

  private void appendWithContent(Operation operation, IBaseResource resource) {
    IIdType id = resource.getIdElement();
    Salt salt = Salt.random(random);
    Commitment commitment;
    try {
      commitment = Commitment.commitJson(salt, ServedForm.ofWritten(fhirContext, resource));
    } catch (InvalidJsonException e) {
      // RFC 8785 needs I-JSON (e.g. numbers within double range); the write cannot be ledgered
      throw new UnprocessableEntityException(
          "The resource cannot be committed to the ledger: " + e.getMessage());
    }
    append(
        operation,
        fhirContext.getResourceType(resource),
        id.getIdPart(),
        Long.parseLong(id.getVersionIdPart()),
        salt,
        commitment);
  }

  private void append(
      Operation operation, String type, String id, long version, Salt salt, Commitment commitment) {
    LedgerEntry entry =
        new LedgerEntry(
            operation,
            type,
            pseudonyms.resource(type, id),
            version,
            clock.millis(),
            pseudonyms.actor(
                AccessIdentity.current().map(AccessIdentity::actor).orElse(UNAUTHENTICATED_ACTOR)),
            commitment);
    store.append(entry.toBytes(), type, id, version, salt == null ? null : salt.bytes());
  }
}
