package org.chartproof.server.encryption;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.esr.ExternallyStoredResourceAddress;
import ca.uhn.fhir.jpa.esr.ExternallyStoredResourceAddressMetadataKey;
import ca.uhn.fhir.rest.api.server.IPreResourceAccessDetails;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Encrypts every version HAPI stores, on HAPI's JPA interceptor service (so transaction bundles and
 * internal writes are covered):
 *
 * <ul>
 *   <li>{@code STORAGE_PRESTORAGE_RESOURCE_*}: reserves a random body address, which HAPI then
 *       stores in {@code HFJ_RES_VER} instead of the JSON (encoding ESR). The final id, version and
 *       meta, and the resolved references of a bundle, are not known yet.
 *   <li>{@code STORAGE_PRECOMMIT_RESOURCE_*}: serializes the final resource, seals it and inserts
 *       it at that address, in the write's own transaction: body and version commit together.
 *   <li>{@code STORAGE_PREACCESS_RESOURCES} and {@code STORAGE_PRESHOW_RESOURCES}: refuses a body
 *       that authenticated as another version than the one HAPI serves it as.
 * </ul>
 */
@Interceptor
final class BodySealing {

  private static final String STORED = "chartproof.encryption.stored";

  private final FhirContext fhirContext;
  private final EncryptedBodies bodies;
  private final Compartments compartments;
  private final boolean enabled;

  /**
   * @param enabled whether new versions are encrypted; stored encrypted versions are read either
   *     way
   */
  BodySealing(
      FhirContext fhirContext, EncryptedBodies bodies, Compartments compartments, boolean enabled) {
    this.fhirContext = fhirContext;
    this.bodies = bodies;
    this.compartments = compartments;
    this.enabled = enabled;
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void reserveOnCreate(IBaseResource resource) {
    reserve(resource);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void reserveOnUpdate(IBaseResource oldResource, IBaseResource newResource) {
    reserve(newResource);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void sealCreated(IBaseResource resource) {
    seal(resource, true);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  public void sealUpdated(IBaseResource oldResource, IBaseResource newResource) {
    seal(newResource, false);
  }

  @Hook(Pointcut.STORAGE_PREACCESS_RESOURCES)
  public void checkAccessed(IPreResourceAccessDetails details) {
    for (int i = 0; i < details.size(); i++) {
      checkBinding(details.getResource(i));
    }
  }

  @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
  public void checkShown(IPreResourceShowDetails details) {
    for (int i = 0; i < details.size(); i++) {
      checkBinding(details.getResource(i));
    }
  }

  private void reserve(IBaseResource resource) {
    if (enabled) {
      ExternallyStoredResourceAddressMetadataKey.INSTANCE.put(
          resource,
          new ExternallyStoredResourceAddress(
              EncryptedBodies.PROVIDER_ID, UUID.randomUUID().toString()));
    }
  }

  private void seal(IBaseResource resource, boolean created) {
    ExternallyStoredResourceAddress address =
        ExternallyStoredResourceAddressMetadataKey.INSTANCE.get(resource);
    if (address == null || !EncryptedBodies.PROVIDER_ID.equals(address.getProviderId())) {
      if (enabled) {
        // fail closed: HAPI has stored this version's JSON in clear
        throw new IllegalStateException(
            "A version reached storage without an encrypted body address; refusing to store it");
      }
      return;
    }
    if (address.getLocation().equals(resource.getUserData(STORED))) {
      return; // a second PRECOMMIT call for the same stored version (a retry reserves anew)
    }
    IIdType id = resource.getIdElement();
    String type = fhirContext.getResourceType(resource);
    long version = Long.parseLong(id.getVersionIdPart());
    String compartment = compartments.of(resource);
    // a Patient's first version creates its compartment: nobody else can write into it yet
    boolean newCompartment =
        created
            && type.equals("Patient")
            && compartment.equals(Compartments.patient(id.getIdPart()));
    try {
      bodies.store(
          address.getLocation(),
          type,
          id.getIdPart(),
          version,
          compartment,
          newCompartment,
          fhirContext.newJsonParser().encodeResourceToString(resource));
    } catch (DataKeyDestroyedException e) {
      throw new UnprocessableEntityException(
          "This resource belongs to an erased patient; nothing more can be stored for them");
    }
    resource.setUserData(STORED, address.getLocation());
  }

  private void checkBinding(IBaseResource resource) {
    if (resource == null) {
      return;
    }
    Object sealedAs = resource.getUserData(EncryptedBodies.SEALED_AS);
    if (sealedAs == null) {
      return;
    }
    IIdType id = resource.getIdElement();
    String served =
        fhirContext.getResourceType(resource)
            + "/"
            + id.getIdPart()
            + "/_history/"
            + id.getVersionIdPart();
    if (!served.equals(sealedAs)) {
      throw new BodyUnreadableException(
          "The stored content of "
              + served
              + " failed its integrity check: it belongs to another resource version");
    }
  }
}
