package org.chartproof.server.encryption;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.esr.IExternallyStoredResourceService;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import org.chartproof.server.encryption.BodyStore.Row;
import org.chartproof.server.encryption.SealedBody.Binding;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Resource bodies sealed under their compartment's data key and kept in {@code cp_resource_body}.
 * HAPI reads them through its externally stored resources hook ({@link
 * IExternallyStoredResourceService}): each {@code HFJ_RES_VER} row written with encryption on holds
 * only {@code cpenc:<address>}.
 *
 * <p>Every body served carries, as user data, the version its associated data authenticated ({@link
 * #SEALED_AS}); {@link BodySealing} compares it with the version HAPI serves it as, which catches a
 * body address moved to another {@code HFJ_RES_VER} row.
 */
final class EncryptedBodies implements IExternallyStoredResourceService {

  static final String PROVIDER_ID = "cpenc";

  /** User data key: {@code type/id/_history/version} the served body was sealed for. */
  static final String SEALED_AS = "chartproof.encryption.sealed-as";

  private final FhirContext fhirContext;
  private final BodyStore store;
  private final DataKeys keys;
  private final SecureRandom random;

  EncryptedBodies(FhirContext fhirContext, BodyStore store, DataKeys keys, SecureRandom random) {
    this.fhirContext = fhirContext;
    this.store = store;
    this.keys = keys;
    this.random = random;
  }

  @Override
  public String getId() {
    return PROVIDER_ID;
  }

  /**
   * Seals a version's JSON under its compartment's key and stores it at {@code address}.
   *
   * @param newCompartment this write creates the compartment (see {@link DataKeys#forCompartment})
   */
  void store(
      String address,
      String type,
      String id,
      long version,
      String compartment,
      boolean newCompartment,
      String json) {
    DataKey key = keys.forCompartment(compartment, newCompartment);
    Binding binding = new Binding(type, id, version, key.id());
    store.insert(
        address,
        binding,
        SealedBody.seal(key, binding, json.getBytes(StandardCharsets.UTF_8), random));
  }

  @Override
  public IBaseResource fetchResource(String address) {
    return fetchResources(List.of(address)).get(address);
  }

  /**
   * @throws BodyUnreadableException if a body is missing or fails authentication
   * @throws DataKeyDestroyedException if a body's data key was destroyed
   * @throws KeyUnavailableException if a body's data key cannot be unwrapped
   */
  @Override
  public Map<String, IBaseResource> fetchResources(Collection<String> addresses) {
    Map<String, Row> rows = store.find(addresses);
    Map<String, IBaseResource> resources = new LinkedHashMap<>();
    for (String address : addresses) {
      Row row = rows.get(address);
      if (row == null) {
        throw new BodyUnreadableException(
            "The stored content at body address " + address + " is missing");
      }
      resources.put(address, open(row));
    }
    return resources;
  }

  /** HAPI's {@code $expunge} removes a version for good: its body goes too. */
  @Override
  public void deleteResource(String address) {
    store.delete(address);
  }

  private IBaseResource open(Row row) {
    Binding binding = row.binding();
    String json = new String(openBytes(binding, row.sealed()), StandardCharsets.UTF_8);
    IParser parser =
        fhirContext
            .newJsonParser()
            .setParserErrorHandler(new LenientErrorHandler(false).disableAllErrors());
    IBaseResource resource =
        parser.parseResource(
            fhirContext.getResourceDefinition(binding.type()).getImplementingClass(), json);
    resource.setUserData(SEALED_AS, binding.subject());
    return resource;
  }

  /** The plaintext of a body sealed for {@code binding}; the failure names the version only. */
  byte[] openBytes(Binding binding, byte[] sealed) {
    DataKey key;
    try {
      key = keys.byId(binding.keyId());
    } catch (DataKeyDestroyedException e) {
      throw new DataKeyDestroyedException(
          binding.subject() + " was erased: its patient's data key was destroyed");
    } catch (KeyUnavailableException e) {
      throw new KeyUnavailableException(
          binding.subject() + " cannot be decrypted: " + e.getMessage(), e);
    }
    try {
      return SealedBody.open(key, binding, sealed);
    } catch (AEADBadTagException e) {
      throw new BodyUnreadableException(
          "The stored content of "
              + binding.subject()
              + " failed its integrity check: it was altered, or belongs to another resource"
              + " version");
    }
  }
}
