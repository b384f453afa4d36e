package dev.wasmengine.invoke;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.Failures;
import dev.wasmengine.bus.FunctionRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import java.time.Duration;

/**
 * The typed way for other verticles to call functions: one event-bus request per call, to
 * {@link Addresses#INVOKE} (or straight to the owning invoker shard when the shard count is
 * known, as inside the engine). Failures are {@link dev.wasmengine.error.EngineException}s
 * whose kind says what went wrong (not found, trap, timeout, overloaded, ...).
 */
public final class FunctionClient {
  private final Vertx vertx;
  private final Duration timeout;
  private final int shards;

  /** A client for any verticle of this Vert.x (or, later, its cluster). */
  public FunctionClient(Vertx vertx, Duration timeout) {
    this(vertx, timeout, 0);
  }

  /**
   * For the engine's own verticles, which know its invoker count and skip the router hop.
   *
   * @param shards the engine's invoker count; 0 sends through the public router address
   */
  public static FunctionClient forShards(Vertx vertx, Duration timeout, int shards) {
    return new FunctionClient(vertx, timeout, shards);
  }

  private FunctionClient(Vertx vertx, Duration timeout, int shards) {
    this.vertx = vertx;
    this.timeout = timeout;
    this.shards = shards;
  }

  /** Calls a function of the default namespace. */
  public Future<InvocationResult> invoke(String function, Buffer input) {
    return invoke(Invocation.of(function, input));
  }

  public Future<InvocationResult> invoke(FunctionRef function, Buffer input) {
    return invoke(Invocation.of(function, input));
  }

  public Future<InvocationResult> invoke(Invocation invocation) {
    String address = shards > 0 ? Addresses.invokeShard(invocation.function(), shards) : Addresses.INVOKE;
    return vertx.eventBus().<Buffer>request(address, invocation.input(), invocation.deliveryOptions(timeout.toMillis()))
        .recover(failure -> Future.failedFuture(Failures.fromReply(failure)))
        .map(FunctionClient::result);
  }

  static InvocationResult result(Message<Buffer> reply) {
    String status = reply.headers().get(Addresses.STATUS_HEADER);
    return new InvocationResult(status == null ? 200 : Integer.parseInt(status),
        Invocation.decodeHeaders(reply.headers().getAll(Addresses.RESPONSE_HEADER)),
        reply.body() == null ? Buffer.buffer() : reply.body(),
        "true".equals(reply.headers().get(Addresses.COLD_START_HEADER)));
  }
}
