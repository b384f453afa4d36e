package dev.wasmengine.invoke;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.Local;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What this engine's invoker shards know of functions (calls answered, instances warm and
 * running), for a function's status and a node's. A shard that does not answer in time counts
 * as knowing nothing: the status is still given, with zeros.
 */
public final class ShardStats {
  private static final DeliveryOptions QUICK = Local.delivery(2_000);

  private final EventBus bus;
  private final int shards;

  public ShardStats(EventBus bus, int shards) {
    this.bus = bus;
    this.shards = shards;
  }

  /** One function's stats, from the shard that owns it. */
  public Future<JsonObject> of(FunctionRef function) {
    return ask(Addresses.shardOf(function, shards)).map(all -> all.getJsonObject(function.key(), new JsonObject()));
  }

  /** Every shard's stats merged: {@code {"namespace/name": {...}}}. */
  public Future<JsonObject> all() {
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (int shard = 0; shard < shards; shard++) {
      answers.add(ask(shard));
    }
    return Future.join(answers).transform(done -> {
      JsonObject merged = new JsonObject();
      answers.stream().filter(Future::succeeded).forEach(answer -> merged.mergeIn(answer.result()));
      return Future.succeededFuture(merged);
    });
  }

  private Future<JsonObject> ask(int shard) {
    return bus.<JsonObject>request(Addresses.statsShard(shard), new JsonObject(), QUICK)
        .map(reply -> reply.body().getJsonObject("functions", new JsonObject()))
        .otherwise(new JsonObject());
  }
}
