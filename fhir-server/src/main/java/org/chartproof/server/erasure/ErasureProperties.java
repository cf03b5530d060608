package org.chartproof.server.erasure;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Erasure on request, {@code Patient/[id]/$erase} ({@code chartproof.erasure.*}, docs/erasure.md).
 *
 * @param enabled whether the operation is offered at all
 * @param allowWithoutAuthorization whether anyone may erase while {@code chartproof.auth.mode=off}
 *     (there are no administrators then); off by default, for trying it out only
 * @param sharedResources what to do with a resource in the compartment of the erased patient and of
 *     others too (a Group, an Observation about a mother and her child): {@code refuse} (default:
 *     the erasure answers 409 and nothing is erased, so that another patient's record is never
 *     destroyed as a side effect) or {@code delete} (erase it with the patient)
 */
@Validated
@ConfigurationProperties("chartproof.erasure")
record ErasureProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("false") boolean allowWithoutAuthorization,
    @NotNull @DefaultValue("refuse") SharedResources sharedResources) {

  /** See {@link ErasureProperties#sharedResources}. */
  enum SharedResources {
    REFUSE,
    DELETE
  }
}
