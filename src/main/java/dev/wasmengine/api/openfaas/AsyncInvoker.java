package dev.wasmengine.api.openfaas;

import dev.wasmengine.api.ErrorResponses;
import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.Failures;
import dev.wasmengine.error.EngineException;
import dev.wasmengine.error.OverloadedException;
import dev.wasmengine.invoke.FunctionClient;
import dev.wasmengine.invoke.Invocation;
import dev.wasmengine.invoke.InvocationResult;
import dev.wasmengine.runtime.HttpHeader;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Runs asynchronous calls: a bounded queue (past it, OVERLOADED: 429), a few calls at a time,
 * each result POSTed to its callback URL with {@code X-Call-Id}, {@code X-Function-Status} (the
 * function's HTTP status, or the error's) and {@code X-Function-Name}. The queue is in memory:
 * calls queued when the engine stops are lost, as their 202 said nothing more than "accepted".
 */
public final class AsyncInvoker extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(AsyncInvoker.class.getName());

  private final int queueBound;
  private final int concurrency;
  private final Duration timeout;
  private final int shards;
  /** An accepted call: its message (for the call id and callback headers) and what it asks for. */
  private record Queued(Message<Object> message, Invocation invocation) {}

  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private int running;
  private FunctionClient functions;
  private WebClient callbacks;

  /**
   * @param queueBound  calls waiting at most (openfaas.async_queue)
   * @param concurrency calls running at once
   * @param timeout     of one call, and of one callback
   * @param shards      the engine's invoker count
   */
  public AsyncInvoker(int queueBound, int concurrency, Duration timeout, int shards) {
    this.queueBound = queueBound;
    this.concurrency = concurrency;
    this.timeout = timeout;
    this.shards = shards;
  }

  @Override
  public Future<?> start() {
    functions = FunctionClient.forShards(vertx, timeout, shards);
    callbacks = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) Math.min(10_000, timeout.toMillis())));
    return vertx.eventBus().localConsumer(Addresses.INVOKE_ASYNC, this::accept).completion();
  }

  @Override
  public Future<?> stop() {
    callbacks.close();
    return Future.succeededFuture();
  }

  private void accept(Message<Object> message) {
    Optional<Invocation> invocation = Invocation.read(message);
    if (invocation.isEmpty()) {
      return;
    }
    if (queue.size() >= queueBound) {
      Failures.reply(message, new OverloadedException("the async queue holds " + queueBound
          + " calls, its limit; try again later"));
      return;
    }
    queue.add(new Queued(message, invocation.get()));
    message.reply(new JsonObject());
    runNext();
  }

  private void runNext() {
    while (running < concurrency && !queue.isEmpty()) {
      Queued next = queue.poll();
      Message<Object> message = next.message();
      Invocation invocation = next.invocation();
      running++;
      String callId = message.headers().get(Addresses.CALL_ID_HEADER);
      String callback = message.headers().get(Addresses.CALLBACK_HEADER);
      long started = System.nanoTime();
      functions.invoke(invocation)
          .transform(result -> callback == null
              ? Future.succeededFuture()
              : callBack(callback, callId, invocation, result.succeeded() ? result.result() : null,
                  result.failed() ? Failures.fromReply(result.cause()) : null, started))
          .onComplete(done -> {
            running--;
            runNext();
          });
    }
  }

  private Future<Void> callBack(String url, String callId, Invocation invocation, InvocationResult result,
      EngineException failure, long startedNanos) {
    HttpRequest<Buffer> request = callbacks.postAbs(url)
        .timeout(timeout.toMillis())
        .putHeader("X-Call-Id", callId)
        .putHeader("X-Function-Name", invocation.function().toString())
        .putHeader("X-Duration-Seconds", String.format(Locale.ROOT, "%.6f", (System.nanoTime() - startedNanos) / 1e9));
    Buffer body;
    if (result != null) {
      request.putHeader("X-Function-Status", Integer.toString(result.status()));
      for (HttpHeader header : result.headers()) {
        if (header.name().equalsIgnoreCase("Content-Type")) {
          request.putHeader(HttpHeaders.CONTENT_TYPE.toString(), header.value());
        }
      }
      body = result.output();
    } else {
      request.putHeader("X-Function-Status", Integer.toString(ErrorResponses.status(failure.kind())))
          .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json");
      body = new JsonObject().put("error", failure.kind().name().toLowerCase(Locale.ROOT))
          .put("message", failure.getMessage()).toBuffer();
    }
    return request.sendBuffer(body)
        .onSuccess(response -> {
          if (response.statusCode() >= 300) {
            LOG.warning(() -> "callback for call " + callId + " to " + url + " answered " + response.statusCode());
          }
        })
        .onFailure(failed -> LOG.warning(() -> "callback for call " + callId + " to " + url + " failed: " + failed.getMessage()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }
}
