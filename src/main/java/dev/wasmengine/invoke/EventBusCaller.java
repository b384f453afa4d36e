package dev.wasmengine.invoke;

import dev.wasmengine.bus.FunctionNames;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.error.EngineException;
import dev.wasmengine.runtime.FunctionCaller;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Function-to-function calls from inside a guest, routed over the same event-bus API as every
 * other call, one level deeper and never past the caller's own deadline. Blocks the guest's
 * thread until the answer (nested calls run on virtual threads, so waiting costs no pool thread).
 */
final class EventBusCaller implements FunctionCaller {
  private final FunctionClient client;
  /** Callees are looked up in the caller's own namespace. */
  private final String namespace;
  private final int depth;
  private final Instant deadline;
  private final int maxDepth;

  EventBusCaller(FunctionClient client, String namespace, int depth, Instant deadline, int maxDepth) {
    this.client = client;
    this.namespace = namespace;
    this.depth = depth;
    this.deadline = deadline;
    this.maxDepth = maxDepth;
  }

  @Override
  public Outcome call(String function, byte[] input) {
    if (!FunctionNames.isValid(function)) {
      return Outcome.failed(NOT_FOUND);
    }
    if (depth + 1 > maxDepth) {
      return Outcome.failed(DEPTH_LIMIT);
    }
    long remaining = Duration.between(Instant.now(), deadline).toMillis();
    if (remaining <= 0) {
      return Outcome.failed(DEADLINE);
    }
    Invocation nested = new Invocation(new FunctionRef(namespace, function), Invocation.RequestLine.POST,
        Buffer.buffer(input), depth + 1, Optional.of(deadline));
    try {
      InvocationResult result = client.invoke(nested).toCompletionStage().toCompletableFuture()
          .get(remaining, TimeUnit.MILLISECONDS);
      return Outcome.of(result.output().getBytes());
    } catch (TimeoutException e) {
      return Outcome.failed(DEADLINE);
    } catch (InterruptedException e) {
      // The caller itself is being stopped (its deadline): let the runtime see the interrupt.
      Thread.currentThread().interrupt();
      return Outcome.failed(DEADLINE);
    } catch (ExecutionException e) {
      return Outcome.failed(e.getCause() instanceof EngineException failure ? code(failure) : CALLEE_FAILED);
    }
  }

  private static int code(EngineException failure) {
    return switch (failure.kind()) {
      case NOT_FOUND -> NOT_FOUND;
      case TIMEOUT -> DEADLINE;
      case OVERLOADED, UNAVAILABLE -> OVERLOADED;
      default -> CALLEE_FAILED;
    };
  }
}
