package dev.wasmengine.invoke;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.Failures;
import dev.wasmengine.error.InternalException;
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.FunctionAbi;
import dev.wasmengine.runtime.GuestLimits;
import dev.wasmengine.runtime.ModuleCache;
import dev.wasmengine.store.FunctionRecord;
import dev.wasmengine.store.FunctionStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A worker verticle that runs guests: it takes invocations from the event bus, finds the
 * function's compiled module (asking the registry for the record on first use) and runs one
 * call on a fresh instance. Deployed as a worker, so guest code never runs on an event loop;
 * each instance runs one guest at a time and the event bus spreads calls over the instances.
 */
public final class InvokerVerticle extends VerticleBase {
  /** Name of the worker pool every invoker verticle runs on. */
  public static final String POOL = "wasmengine-guests";

  private record Loaded(FunctionRecord record, CompiledModule module, FunctionAbi abi) {}

  private final ModuleCache modules;
  private final FunctionStore store;
  private final GuestLimits limits;
  /** Functions this worker has resolved; touched only on this verticle's worker context. */
  private final Map<String, Loaded> loaded = new HashMap<>();

  public InvokerVerticle(ModuleCache modules, FunctionStore store, GuestLimits limits) {
    this.modules = modules;
    this.store = store;
    this.limits = limits;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>consumer(Addresses.FUNCTION_CHANGED,
        message -> loaded.remove(message.body().getString("function_name")));
    return vertx.eventBus().<JsonObject>consumer(Addresses.INVOKE, this::invoke).completion();
  }

  private void invoke(Message<JsonObject> message) {
    InvokeRequest request;
    try {
      request = InvokeRequest.fromJson(message.body());
    } catch (RuntimeException e) {
      Failures.reply(message, e);
      return;
    }
    resolve(request.name())
        .map(function -> function.abi().invoke(function.module(), request.name(), request.argsJson(), limits))
        .onSuccess(output -> message.reply(Buffer.buffer(output)))
        .onFailure(failure -> Failures.reply(message, failure));
  }

  /** The loaded function, or the registry's record turned into one (compiled once per digest). */
  private Future<Loaded> resolve(String name) {
    Loaded known = loaded.get(name);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.eventBus().<JsonObject>request(Addresses.QUERY, new JsonObject().put("function_name", name))
        .recover(failure -> Future.failedFuture(Failures.fromReply(failure)))
        .map(reply -> {
          FunctionRecord record = FunctionRecord.fromJson(reply.body());
          CompiledModule module = modules.get(record.executionModel(), record.digest(), () -> readModule(record));
          Loaded function = new Loaded(record, module, FunctionAbi.of(record.wasiCap()));
          loaded.put(name, function);
          return function;
        });
  }

  private byte[] readModule(FunctionRecord record) {
    try {
      return store.readModule(record.digest());
    } catch (IOException | UncheckedIOException e) {
      throw new InternalException("cannot read module of " + record.name(), e);
    }
  }
}
