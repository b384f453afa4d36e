package dev.wasmengine.invoke;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.Failures;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * Serves the public {@link Addresses#INVOKE} address: forwards each call, unchanged, to the
 * invoker shard that owns the function and relays the answer. Callers need not know the shards.
 */
public final class InvokeRouter extends VerticleBase {
  private final int shards;
  private final long timeoutMillis;

  public InvokeRouter(int shards, long timeoutMillis) {
    this.shards = shards;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<Object>localConsumer(Addresses.INVOKE, this::forward).completion();
  }

  private void forward(Message<Object> message) {
    Invocation.read(message).ifPresent(invocation -> vertx.eventBus().<Buffer>request(Addresses.invokeShard(invocation.function(), shards), invocation.input(),
            invocation.deliveryOptions(timeoutMillis))
        .onSuccess(reply -> message.reply(reply.body(), new DeliveryOptions().setHeaders(reply.headers())))
        .onFailure(failure -> Failures.reply(message, Failures.fromReply(failure))));
  }
}
