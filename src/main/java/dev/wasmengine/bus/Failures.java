package dev.wasmengine.bus;

import dev.wasmengine.error.DeadlineExceededException;
import dev.wasmengine.error.EngineException;
import dev.wasmengine.error.ErrorKind;
import dev.wasmengine.error.InternalException;
import dev.wasmengine.error.UnavailableException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries {@link EngineException}s over the event bus as failure code + message, and back.
 * Internal errors are logged here, with their cause, and travel on as a bare "internal error".
 */
public final class Failures {
  private static final Logger LOG = Logger.getLogger(Failures.class.getName());
  public static final String INTERNAL_MESSAGE = "internal error";

  private Failures() {}

  public static void reply(Message<?> message, Throwable failure) {
    EngineException engineFailure = asEngineException(failure);
    message.fail(engineFailure.kind().code(), engineFailure.getMessage());
  }

  /** Turns what a request future failed with back into an {@link EngineException}. */
  public static EngineException fromReply(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case RECIPIENT_FAILURE -> ErrorKind.fromCode(reply.failureCode())
            .map(kind -> EngineException.of(kind, reply.getMessage()))
            .orElseGet(() -> internal(reply));
        case TIMEOUT -> new DeadlineExceededException("no answer before the deadline");
        case NO_HANDLERS -> new UnavailableException("no worker is available");
        case ERROR -> internal(reply);
      };
    }
    return asEngineException(failure);
  }

  /** An engine failure as it may be shown to a caller; anything unexpected becomes internal. */
  public static EngineException asEngineException(Throwable failure) {
    if (failure instanceof EngineException engineFailure && engineFailure.kind() != ErrorKind.INTERNAL) {
      return engineFailure;
    }
    if (!(failure instanceof InternalException internal && INTERNAL_MESSAGE.equals(internal.getMessage()))) {
      return internal(failure);
    }
    return (InternalException) failure;
  }

  private static InternalException internal(Throwable cause) {
    LOG.log(Level.SEVERE, "internal error", cause);
    return new InternalException(INTERNAL_MESSAGE);
  }
}
