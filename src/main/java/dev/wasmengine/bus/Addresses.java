package dev.wasmengine.bus;

/**
 * Event-bus addresses between the verticles. Bodies are JSON objects or buffers only, so every
 * message can cross a clustered event bus unchanged.
 */
public final class Addresses {
  /**
   * The public invocation address (see {@code dev.wasmengine.invoke.FunctionClient}): body = the
   * input buffer; headers {@value #FUNCTION_HEADER}, optional {@value #DEPTH_HEADER} and
   * {@value #DEADLINE_HEADER}; reply body = the output, reply header {@value #STATUS_HEADER}.
   * A router forwards each call to the invoker shard that owns the function.
   */
  public static final String INVOKE = "wasmengine.invoke";

  public static final String FUNCTION_HEADER = "function";
  /** How many function-to-function calls led to this one (0 for a call from outside). */
  public static final String DEPTH_HEADER = "depth";
  /** The caller's deadline, epoch milliseconds; a call never runs past it. */
  public static final String DEADLINE_HEADER = "deadline";
  public static final String STATUS_HEADER = "status";
  /** "true" when the call had to instantiate on its own path (no warm instance was ready). */
  public static final String COLD_START_HEADER = "cold-start";

  /** The invoker shard that owns a function: every call and pool of a function live on one shard. */
  public static int shardOf(String function, int shards) {
    return Math.floorMod(function.hashCode(), shards);
  }

  public static String invokeShard(String function, int shards) {
    return invokeShard(shardOf(function, shards));
  }

  public static String invokeShard(int shard) {
    return INVOKE + ".shard." + shard;
  }

  /** Request {@code {function_name}} to the owning shard: fill the pool; reply once warm. */
  public static String prewarmShard(String function, int shards) {
    return prewarmShard(shardOf(function, shards));
  }

  public static String prewarmShard(int shard) {
    return "wasmengine.prewarm.shard." + shard;
  }

  /** Request {@code {function_name, function_image, wasi_cap?, execution_model?}}; reply: the record. */
  public static final String DEPLOY = "wasmengine.registry.deploy";
  /** Request like DEPLOY, for a deployed function: re-pull and swap; reply: the new record. */
  public static final String UPDATE = "wasmengine.registry.update";
  /** Request {@code {function_name}}; reply: the removed record. */
  public static final String DELETE = "wasmengine.registry.delete";
  /** Request {@code {function_name}}; reply: the record. */
  public static final String QUERY = "wasmengine.registry.query";
  /** Request {@code {}}; reply: {@code {functions: [record...]}}. */
  public static final String LIST = "wasmengine.registry.list";

  /** Published after a function is deployed or deleted: {@code {function_name}}. */
  public static final String FUNCTION_CHANGED = "wasmengine.function.changed";

  private Addresses() {}
}
