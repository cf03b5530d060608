package org.chartproof.server.storage;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where Chartproof keeps its files ({@code chartproof.storage.*}).
 *
 * @param dataDir directory of the embedded H2 database (and, later, the embedded keystore); created
 *     on first start. Ignored for the database when {@code spring.datasource.url} points elsewhere,
 *     e.g. at PostgreSQL.
 */
@Validated
@ConfigurationProperties("chartproof.storage")
public record StorageProperties(@NotNull @DefaultValue("./data") Path dataDir) {}
