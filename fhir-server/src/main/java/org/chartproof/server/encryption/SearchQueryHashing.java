package org.chartproof.server.encryption;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.entity.Search;
import ca.uhn.fhir.jpa.search.cache.ISearchCacheSvc;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps search query strings out of {@code HFJ_SEARCH} in clear: HAPI stores each search's
 * normalized query string ({@code SEARCH_QUERY_STRING_VC}) to find a cached result for the same
 * search. This wrapper of HAPI's search cache stores {@code HMAC-SHA256(k, query)} instead, and
 * looks cached searches up by the same HMAC, so reuse still works. {@code k} is random per server
 * process and never stored: a dump reveals no query, and a search is reused only by the instance
 * that ran it (within {@code chartproof.fhir.search-cache}).
 */
final class SearchQueryHashing implements ISearchCacheSvc {

  static final String PREFIX = "chartproof-hmac:";

  private final ISearchCacheSvc hapi;
  private final SecretKeySpec key;

  SearchQueryHashing(ISearchCacheSvc hapi, SecureRandom random) {
    this.hapi = hapi;
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    this.key = new SecretKeySpec(raw, "HmacSHA256");
  }

  @Override
  public Search save(Search search, RequestPartitionId partition) {
    String query = search.getSearchQueryString();
    if (query != null && !query.startsWith(PREFIX)) {
      // the query as stored already carries the partition; the HMAC replaces it whole
      search.setSearchQueryString(hmac(query), RequestPartitionId.allPartitions());
    }
    return hapi.save(search, partition);
  }

  @Override
  public Optional<Search> findCandidatesForReuse(
      String resourceType, String queryString, Instant createdAfter, RequestPartitionId partition) {
    String stored = Search.createSearchQueryStringForStorage(queryString, partition);
    return hapi.findCandidatesForReuse(
        resourceType, hmac(stored), createdAfter, RequestPartitionId.allPartitions());
  }

  @Override
  public Optional<Search> fetchByUuid(String uuid, RequestPartitionId partition) {
    return hapi.fetchByUuid(uuid, partition);
  }

  @Override
  public Optional<Search> tryToMarkSearchAsInProgress(Search search, RequestPartitionId partition) {
    return hapi.tryToMarkSearchAsInProgress(search, partition);
  }

  @Override
  public void pollForStaleSearchesAndDeleteThem(RequestPartitionId partition, Instant deadline) {
    hapi.pollForStaleSearchesAndDeleteThem(partition, deadline);
  }

  private String hmac(String query) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return PREFIX + HexFormat.of().formatHex(mac.doFinal(query.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available");
    }
  }
}
