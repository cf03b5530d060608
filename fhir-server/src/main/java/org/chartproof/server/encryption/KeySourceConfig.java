package org.chartproof.server.encryption;

import org.chartproof.server.storage.StorageProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The key-encryption keys (docs/keys.md): a PKCS#12 keystore (the embedded default, created on
 * first start) or an HSM over PKCS#11, chosen by {@code chartproof.encryption.key-source}.
 */
@Configuration
@EnableConfigurationProperties({KeySourceProperties.class, StorageProperties.class})
public class KeySourceConfig {

  @Bean
  KeyEncryptionKeys keyEncryptionKeys(KeySourceProperties properties, StorageProperties storage) {
    return KeySources.open(properties, storage.dataDir());
  }
}
