package org.chartproof.ledger.anchor;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.exceptions.ClientConnectionException;
import org.web3j.protocol.http.HttpService;

/**
 * JSON-RPC over HTTP with retries: an I/O failure (connection refused, timeout, HTTP error) is
 * retried with exponential backoff, and becomes a {@link ChainUnavailableException} when the
 * retries run out. Messages name the endpoint by scheme, host and port only, so that credentials or
 * API keys in the URL never reach them.
 */
final class Rpc {

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  final Web3j web3j;
  private final String endpoint;
  private final EvmAnchor.Settings settings;

  Rpc(URI url, EvmAnchor.Settings settings) {
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException("the JSON-RPC URL must be http or https");
    }
    this.endpoint =
        url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    this.settings = settings;
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(settings.requestTimeout())
            .readTimeout(settings.requestTimeout())
            .writeTimeout(settings.requestTimeout())
            .callTimeout(settings.requestTimeout())
            .build();
    this.web3j = Web3j.build(new HttpService(url.toString(), http));
  }

  /**
   * Sends {@code request}, retrying I/O failures. The response may carry a JSON-RPC error: the
   * caller decides what it means.
   */
  <R extends Response<?>> R send(String what, Request<?, R> request) throws AnchorException {
    Duration backoff = settings.initialBackoff();
    for (int attempt = 0; ; attempt++) {
      try {
        return request.send();
      } catch (IOException | ClientConnectionException e) {
        if (attempt >= settings.retries()) {
          throw new ChainUnavailableException(
              "%s: %s unreachable after %d attempts (%s)"
                  .formatted(what, endpoint, attempt + 1, e.getClass().getSimpleName()),
              e);
        }
      }
      sleep(what, backoff);
      Duration doubled = backoff.multipliedBy(2);
      backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }
  }

  /** Like {@link #send}, but a JSON-RPC error becomes an {@link AnchorException}. */
  <R extends Response<?>> R checked(String what, Request<?, R> request) throws AnchorException {
    R response = send(what, request);
    if (response.hasError()) {
      throw nodeError(what, response.getError());
    }
    return response;
  }

  AnchorException nodeError(String what, Response.Error error) {
    return new AnchorException(
        "%s: %s answered error %d: %s"
            .formatted(what, endpoint, error.getCode(), error.getMessage()));
  }

  /**
   * Calls a view (or simulates a transaction) from {@code from} at the latest block and decodes its
   * outputs.
   *
   * @throws AnchorRejectedException if the call reverts
   */
  List<Type> call(String what, String from, String contract, Function function)
      throws AnchorException {
    String data = FunctionEncoder.encode(function);
    EthCall response =
        send(
            what,
            web3j.ethCall(
                Transaction.createEthCallTransaction(from, contract, data),
                DefaultBlockParameterName.LATEST));
    if (response.hasError()) {
      Optional<AnchorRejectedException> rejected = AnchorAbi.rejection(what, response.getError());
      throw rejected.isPresent() ? rejected.get() : nodeError(what, response.getError());
    }
    List<Type> values =
        FunctionReturnDecoder.decode(response.getValue(), function.getOutputParameters());
    if (values.size() != function.getOutputParameters().size()) {
      throw new AnchorException(
          "%s: unexpected answer from %s (no contract at that address?)".formatted(what, endpoint));
    }
    return values;
  }

  BigInteger blockNumber(String what) throws AnchorException {
    return checked(what, web3j.ethBlockNumber()).getBlockNumber();
  }

  String endpoint() {
    return endpoint;
  }

  static void sleep(String what, Duration duration) throws AnchorException {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnchorException(what + ": interrupted", e);
    }
  }
}
