package org.chartproof.server.ledger;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.util.IMetaTagSorter;
import ca.uhn.fhir.util.MetaTagSorterAlphabetical;
import ca.uhn.fhir.util.MetaUtil;
import java.util.Date;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The JSON of a resource version exactly as {@code GET [type]/[id]/_history/[vid]} serves it: what
 * the ledger commits to, and what a reader canonicalizes to recompute the commitment.
 *
 * <p>Two paths must agree, and tests hold them to it (every version the contract tests write is
 * re-read and recomputed, and the verify command finds no difference on a Synthea load):
 *
 * <ul>
 *   <li>{@link #ofWritten}: at the write, from the resource HAPI is about to commit;
 *   <li>{@link #ofStored}: in the verify command, from the stored row, rebuilt the way HAPI's
 *       {@code JpaStorageResourceParser} rebuilds it for a read (tags are stored inline, see
 *       JpaStorageConfig; id, version, lastUpdated and source come from columns).
 * </ul>
 *
 * HAPI sorts tags, security labels and profiles when it serves a resource, so both paths sort them
 * too. {@code lastUpdated} is written in the JVM's default time zone, as HAPI serves it.
 */
final class ServedForm {

  private static final IMetaTagSorter META_SORTER = new MetaTagSorterAlphabetical();

  private ServedForm() {}

  /**
   * The served JSON of a resource at {@code STORAGE_PRECOMMIT_RESOURCE_*}. Sorts the resource's
   * tags, security labels and profiles in place, as every later read returns them.
   */
  static String ofWritten(FhirContext fhirContext, IBaseResource resource) {
    META_SORTER.sort(resource.getMeta());
    return fhirContext.newJsonParser().encodeResourceToString(resource);
  }

  /**
   * A stored version's columns, as HAPI's {@code HFJ_RES_VER} and {@code HFJ_RESOURCE} keep them.
   */
  record StoredVersion(
      String type,
      String id,
      long version,
      Date lastUpdated,
      String storedJson,
      String sourceUri,
      String requestId) {}

  /**
   * The served JSON rebuilt from a stored version.
   *
   * @throws ca.uhn.fhir.parser.DataFormatException if the stored JSON is not a resource
   */
  static String ofStored(FhirContext fhirContext, StoredVersion stored) {
    IParser parser =
        fhirContext
            .newJsonParser()
            .setParserErrorHandler(new LenientErrorHandler(false).disableAllErrors());
    IAnyResource resource =
        (IAnyResource)
            parser.parseResource(
                fhirContext.getResourceDefinition(stored.type()).getImplementingClass(),
                stored.storedJson());
    resource.setId(stored.type() + "/" + stored.id() + "/_history/" + stored.version());
    resource.getMeta().setVersionId(Long.toString(stored.version()));
    resource.getMeta().setLastUpdated(stored.lastUpdated());
    MetaUtil.populateResourceSource(fhirContext, stored.sourceUri(), stored.requestId(), resource);
    META_SORTER.sort(resource.getMeta());
    return fhirContext.newJsonParser().encodeResourceToString(resource);
  }
}
