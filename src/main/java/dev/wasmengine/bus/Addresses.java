package dev.wasmengine.bus;

/**
 * Event-bus addresses between the verticles. Bodies are JSON objects or buffers only, so every
 * message can cross a clustered event bus unchanged. Every consumer of these addresses is a
 * local one: on a clustered bus each node serves its own, and crossing to another node is an
 * explicit, node-addressed step.
 */
public final class Addresses {
  /**
   * The public invocation address (see {@code dev.wasmengine.invoke.FunctionClient}): body = the
   * input buffer; headers {@value #FUNCTION_HEADER}, optional {@value #NAMESPACE_HEADER},
   * {@value #DEPTH_HEADER}, {@value #DEADLINE_HEADER} and the HTTP request's description
   * ({@value #METHOD_HEADER}, {@value #PATH_HEADER}, {@value #QUERY_HEADER}, one
   * {@value #REQUEST_HEADER} per request header, "Name: value"); reply body = the output, reply
   * headers {@value #STATUS_HEADER}, {@value #COLD_START_HEADER} and one
   * {@value #RESPONSE_HEADER} per response header. A router forwards each call to the invoker
   * shard that owns the function.
   */
  public static final String INVOKE = "wasmengine.invoke";

  public static final String FUNCTION_HEADER = "function";
  /** The function's namespace; absent means the default one. */
  public static final String NAMESPACE_HEADER = "namespace";
  /** How many function-to-function calls led to this one (0 for a call from outside). */
  public static final String DEPTH_HEADER = "depth";
  /** The caller's deadline, epoch milliseconds; a call never runs past it. */
  public static final String DEADLINE_HEADER = "deadline";
  public static final String METHOD_HEADER = "http-method";
  public static final String PATH_HEADER = "http-path";
  public static final String QUERY_HEADER = "http-query";
  public static final String REQUEST_HEADER = "http-request-header";
  public static final String STATUS_HEADER = "status";
  public static final String RESPONSE_HEADER = "http-response-header";
  /** "true" when the call had to instantiate on its own path (no warm instance was ready). */
  public static final String COLD_START_HEADER = "cold-start";

  /** The invoker shard that owns a function: every call and pool of a function live on one shard. */
  public static int shardOf(FunctionRef function, int shards) {
    return Math.floorMod(function.key().hashCode(), shards);
  }

  public static String invokeShard(FunctionRef function, int shards) {
    return invokeShard(shardOf(function, shards));
  }

  public static String invokeShard(int shard) {
    return INVOKE + ".shard." + shard;
  }

  /** Request {@code {function_name, namespace?}} to the owning shard: fill the pool; reply once warm. */
  public static String prewarmShard(FunctionRef function, int shards) {
    return prewarmShard(shardOf(function, shards));
  }

  public static String prewarmShard(int shard) {
    return "wasmengine.prewarm.shard." + shard;
  }

  /**
   * Request {@code {}} to one shard; reply {@code {functions: {"namespace/name": {invocations,
   * warm, running}}}}: what the shard knows of the functions it runs.
   */
  public static String statsShard(int shard) {
    return "wasmengine.stats.shard." + shard;
  }

  /**
   * An asynchronous call, as {@link #INVOKE} plus headers {@value #CALL_ID_HEADER} and optional
   * {@value #CALLBACK_HEADER}; the reply (empty) says it was queued, or fails OVERLOADED when
   * the queue is full. The result goes to the callback URL, if any.
   */
  public static final String INVOKE_ASYNC = "wasmengine.invoke.async";
  public static final String CALL_ID_HEADER = "call-id";
  public static final String CALLBACK_HEADER = "callback-url";

  /** Request: the fields of {@code dev.wasmengine.registry.DeployRequest}; reply: the record. */
  public static final String DEPLOY = "wasmengine.registry.deploy";
  /** Request like DEPLOY, for a deployed function: re-pull and swap; reply: the new record. */
  public static final String UPDATE = "wasmengine.registry.update";
  /** Request {@code {function_name, namespace?}}; reply: the removed record. */
  public static final String DELETE = "wasmengine.registry.delete";
  /** Request {@code {function_name, namespace?}}; reply: the record. */
  public static final String QUERY = "wasmengine.registry.query";
  /**
   * Request {@code {namespace?}}; reply: {@code {functions: [record...]}}, of one namespace or,
   * without one, all, sorted by namespace and name.
   */
  public static final String LIST = "wasmengine.registry.list";
  /** Request {@code {}}; reply {@code {functions: n}}: how many functions this node holds. */
  public static final String COUNT = "wasmengine.registry.count";
  /** Request {@code {function_name, namespace?, replicas}}: durably sets the warm instances; reply: the record. */
  public static final String SCALE = "wasmengine.registry.scale";

  /**
   * Request: a change another node of the cluster made ({@code dev.wasmengine.registry.ReplicatedChange});
   * the registry stores it when it is newer than its own; reply {@code {applied: bool}}.
   */
  public static final String REGISTRY_APPLY = "wasmengine.registry.apply";

  /**
   * Request {@code {detail?}}; reply: the cluster as this node sees it, {@code {enabled, cluster,
   * node, members: [...]}}: with detail (the default) each member is asked for the functions it
   * runs; without, the members are their last beacons, known here. Nobody serves it on a single
   * engine.
   */
  public static final String CLUSTER_STATUS = "wasmengine.cluster.status";

  /** Request {@code {}}; reply {@code {namespaces: [name...]}}. */
  public static final String NAMESPACES = "wasmengine.registry.namespaces";
  /** Request {@code {namespace}}; reply {@code {namespace, created: bool}}. */
  public static final String NAMESPACE_CREATE = "wasmengine.registry.namespace.create";
  /** Request {@code {namespace}}; reply {@code {namespace}}, or NOT_FOUND. */
  public static final String NAMESPACE_QUERY = "wasmengine.registry.namespace.query";
  /** Request {@code {namespace}}: removes an empty namespace; CONFLICT while it holds anything. */
  public static final String NAMESPACE_DELETE = "wasmengine.registry.namespace.delete";

  /** Request {@code {namespace?}}; reply {@code {secrets: [{name, namespace}...]}}: never values. */
  public static final String SECRETS = "wasmengine.registry.secrets";
  /** Request {@code {name, namespace?, value_base64}}; CONFLICT if it exists. */
  public static final String SECRET_CREATE = "wasmengine.registry.secret.create";
  /** Request {@code {name, namespace?, value_base64}}; NOT_FOUND if it does not exist. */
  public static final String SECRET_UPDATE = "wasmengine.registry.secret.update";
  /** Request {@code {name, namespace?}}; NOT_FOUND if unknown, CONFLICT while a function names it. */
  public static final String SECRET_DELETE = "wasmengine.registry.secret.delete";

  /**
   * Published after a function is deployed, updated, scaled or deleted:
   * {@code {function_name, namespace, change}} with change one of {@code deployed, updated,
   * scaled, deleted}.
   */
  public static final String FUNCTION_CHANGED = "wasmengine.function.changed";

  /**
   * Published for every line a function logs (its guest's stderr, and the engine's own lines
   * about it): {@code {name, namespace, instance, timestamp (RFC 3339, UTC, nanoseconds), text}}.
   */
  public static final String LOG_LINES = "wasmengine.logs.lines";
  /**
   * Request {@code {name, namespace, tail?, since?}} (tail: the last N lines, since: RFC 3339);
   * reply {@code {lines: [line...]}}, oldest first.
   */
  public static final String LOGS_QUERY = "wasmengine.logs.query";

  private Addresses() {}
}
