package dev.wasmengine.invoke;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/** An ordinary verticle of an application that calls a function when it starts, as users would. */
final class CallingVerticle extends VerticleBase {
  private static Promise<String> output = Promise.promise();

  private final String function;
  private final String input;

  CallingVerticle(String function, String input) {
    this.function = function;
    this.input = input;
    output = Promise.promise();
  }

  static Future<String> lastOutput() {
    return output.future();
  }

  @Override
  public Future<?> start() {
    FunctionClient functions = new FunctionClient(vertx, Duration.ofSeconds(30));
    return functions.invoke(function, Buffer.buffer(input))
        .onSuccess(result -> output.complete(result.output().toString()))
        .onFailure(output::fail);
  }
}
