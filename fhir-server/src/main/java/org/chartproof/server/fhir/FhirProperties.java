package org.chartproof.server.fhir;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The FHIR REST endpoint ({@code chartproof.fhir.*}); every key is documented in {@code
 * application.yaml}.
 *
 * @param serverAddress the public base URL written into links and {@code Location} headers, e.g.
 *     {@code https://fhir.example.org/fhir}; {@code null} derives it from each incoming request
 * @param defaultPageSize search results per page when the client sends no {@code _count}
 * @param maxPageSize the largest {@code _count} a client may ask for
 * @param searchCache how long an identical search reuses cached results; zero turns the cache off
 *     (a client can bypass it per request with {@code Cache-Control: no-cache})
 * @param maxRequestBodySize requests with a larger body are refused with 413
 * @param rejectUnknownElements refuse resources carrying elements that FHIR R4 does not define,
 *     instead of silently dropping them
 * @param defaultPrettyPrint indent responses unless the client asks otherwise ({@code _pretty})
 * @param openapi serve an OpenAPI description at {@code /fhir/api-docs} and Swagger UI at {@code
 *     /fhir/swagger-ui/}
 */
@Validated
@ConfigurationProperties("chartproof.fhir")
public record FhirProperties(
    String serverAddress,
    @DefaultValue("20") @Min(1) @Max(1000) int defaultPageSize,
    @DefaultValue("200") @Min(1) @Max(1000) int maxPageSize,
    @NotNull @DefaultValue("60s") Duration searchCache,
    @NotNull @DefaultValue("32MB") DataSize maxRequestBodySize,
    @DefaultValue("true") boolean rejectUnknownElements,
    @DefaultValue("false") boolean defaultPrettyPrint,
    @DefaultValue("true") boolean openapi) {

  public FhirProperties {
    if (serverAddress != null && serverAddress.isBlank()) {
      serverAddress = null;
    }
    if (defaultPageSize > maxPageSize) {
      throw new IllegalArgumentException(
          "chartproof.fhir.default-page-size (%d) exceeds chartproof.fhir.max-page-size (%d)"
              .formatted(defaultPageSize, maxPageSize));
    }
    if (searchCache.isNegative()) {
      throw new IllegalArgumentException("chartproof.fhir.search-cache must not be negative");
    }
    if (maxRequestBodySize.toBytes() < 1024) {
      throw new IllegalArgumentException("chartproof.fhir.max-request-body-size must be >= 1KB");
    }
  }
}
