package dev.wasmengine.config;

import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.InstancePolicy;
import dev.wasmengine.runtime.GuestLimits;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the one {@link EngineConfig} of a process from four layers, each overriding the one
 * before: the embedded defaults (conf/config.json), a config file ({@code --config} or
 * {@code WASM_ENGINE_CONFIG}), {@code WASM_ENGINE_*} environment variables, command-line options.
 * The caller hands in the environment and the application home; nothing else reads them.
 */
public final class ConfigLoader {

  /** A command-line option, the environment variable that sets the same thing, its JSON path. */
  record Option(String flag, String env, String path, String help) {}

  static final List<Option> OPTIONS = List.of(
      new Option("--port", "WASM_ENGINE_PORT", "http.port", "HTTP port (0 = any free port)"),
      new Option("--bind", "WASM_ENGINE_BIND", "http.bind", "address to listen on"),
      new Option("--data-dir", "WASM_ENGINE_DATA_DIR", "data_dir", "where modules and metadata persist"),
      new Option("--execution-model", "WASM_ENGINE_EXECUTION_MODEL", "runtime.default_execution_model",
          "jit (GraalWasm) or aot (Chicory) for deploys that name none"),
      new Option("--workers", "WASM_ENGINE_WORKERS", "invoke.workers", "invoker verticles (0 = one per core)"),
      new Option("--scheduler", "WASM_ENGINE_SCHEDULER", "invoke.scheduler",
          "where guests run: workers (fixed thread pool) or virtual (virtual threads)"),
      new Option("--preload", "WASM_ENGINE_PRELOAD", "examples.preload",
          "functions manifest deployed at start (\"none\" to skip)"),
      new Option("--cluster", "WASM_ENGINE_CLUSTER", "cluster.enabled",
          "join a cluster of engines: true or false (the flag alone means true)"),
      new Option("--cluster-name", "WASM_ENGINE_CLUSTER_NAME", "cluster.name", "the cluster to join"),
      new Option("--cluster-members", "WASM_ENGINE_CLUSTER_MEMBERS", "cluster.members",
          "host:port of members to join, comma-separated"),
      new Option("--cluster-host", "WASM_ENGINE_CLUSTER_HOST", "cluster.host",
          "address the cluster member and event bus bind"),
      new Option("--cluster-port", "WASM_ENGINE_CLUSTER_PORT", "cluster.port", "the cluster member's port"),
      new Option("--node-name", "WASM_ENGINE_NODE_NAME", "cluster.node_name",
          "this node's name (default host:port)"),
      new Option("--node-labels", "WASM_ENGINE_NODE_LABELS", "cluster.labels",
          "this node's labels for placement, key=value,..."),
      new Option("--auth", "WASM_ENGINE_AUTH", "auth.mode",
          "basic auth: auto (on unless bound to loopback without credential files), on or off"));

  private static final String CONFIG_FLAG = "--config";
  /** The one option that may stand alone: {@code --cluster} means {@code --cluster true}. */
  private static final String SWITCH_FLAG = "--cluster";
  private static final String CONFIG_ENV = "WASM_ENGINE_CONFIG";

  private final Map<String, String> environment;
  private final Path home;
  private final int cores;

  /**
   * @param environment the process environment (only {@code WASM_ENGINE_*} entries are read)
   * @param home        the application home, against which the preload manifest path resolves
   */
  public ConfigLoader(Map<String, String> environment, Path home, int cores) {
    this.environment = Map.copyOf(environment);
    this.home = home;
    this.cores = cores;
  }

  public static String usage() {
    StringBuilder text = new StringBuilder("usage: wasm-engine [options]\n");
    text.append(String.format("  %-20s %s%n", CONFIG_FLAG + " FILE", "JSON config file over the defaults (" + CONFIG_ENV + ")"));
    for (Option option : OPTIONS) {
      text.append(String.format("  %-20s %s (%s)%n", option.flag() + " VALUE", option.help(), option.env()));
    }
    return text.toString();
  }

  public EngineConfig load(List<String> args) {
    JsonObject tree = embeddedDefaults();
    Map<String, String> flags = parseFlags(args);

    String file = flags.getOrDefault(CONFIG_FLAG, environment.get(CONFIG_ENV));
    if (file != null) {
      mergeInto(tree, readFile(Path.of(file)));
    }
    for (Option option : OPTIONS) {
      String value = flags.getOrDefault(option.flag(), environment.get(option.env()));
      if (value != null) {
        setPath(tree, option.path(), value);
      }
    }
    return build(new ConfigTree(tree));
  }

  private EngineConfig build(ConfigTree tree) {
    HttpConfig http = new HttpConfig(
        tree.string("http.bind"),
        tree.integer("http.port", 0, 65535),
        perCoreDefault(tree.integer("http.instances", 0, 256)),
        tree.integer("http.max_body_bytes", 1024, Integer.MAX_VALUE));
    RuntimeConfig runtime = new RuntimeConfig(
        executionModel(tree, "runtime.default_execution_model"),
        new GuestLimits(
            tree.integer("runtime.max_input_bytes", 1, 64 * 1024 * 1024),
            tree.integer("runtime.max_output_bytes", 1, 256 * 1024 * 1024)));
    int guestThreads = Math.max(2, perCoreDefault(tree.integer("invoke.guest_threads", 0, 4096)));
    int maxInstances = tree.integer("invoke.max_instances", 0, 100_000);
    InvokeConfig invoke = new InvokeConfig(
        perCoreDefault(tree.integer("invoke.workers", 0, 1024)),
        scheduler(tree, "invoke.scheduler"),
        guestThreads,
        Duration.ofMillis(tree.integer("invoke.timeout_ms", 1, 3_600_000)),
        Duration.ofMillis(tree.integer("invoke.deadline_ms", 1, 3_600_000)),
        Duration.ofMillis(tree.integer("invoke.max_execute_time_ms", 1, 3_600_000)),
        instancePolicy(tree, "invoke.instance_policy"),
        tree.integer("invoke.min_instances", 0, 10_000),
        // By default one function may not take every guest thread, so others always get one.
        maxInstances == 0 ? Math.max(1, guestThreads - 1) : maxInstances,
        tree.integer("invoke.queue_per_function", 0, 1_000_000),
        tree.integer("invoke.queue_total", 0, 10_000_000),
        Duration.ofMillis(tree.integer("invoke.idle_ms", 1, Integer.MAX_VALUE)),
        tree.integer("invoke.max_memory_pages", 1, 65_536),
        tree.integer("invoke.max_call_depth", 1, 64));
    RegistryConfig registry = new RegistryConfig(
        Duration.ofMillis(tree.integer("registry.deploy_timeout_ms", 1, 3_600_000)),
        Duration.ofMillis(tree.integer("registry.timeout_ms", 1, 3_600_000)),
        tree.integer("registry.retries", 0, 10),
        Set.copyOf(tree.stringList("registry.insecure")),
        optionalPath(tree.string("registry.ca_file")),
        optionalPath(expandHome(tree.string("registry.docker_config"))),
        credentials(tree),
        tree.integer("registry.max_manifest_bytes", 1024, Integer.MAX_VALUE),
        tree.integer("registry.max_blob_bytes", 1024, Integer.MAX_VALUE),
        tree.integer("registry.max_unpacked_bytes", 1024, Integer.MAX_VALUE));
    Path dataDir = Path.of(tree.string("data_dir")).toAbsolutePath().normalize();
    String preload = tree.string("examples.preload");
    Optional<Path> manifest = preload.isBlank() || preload.equals("none")
        ? Optional.empty()
        : Optional.of(home.resolve(preload).toAbsolutePath().normalize());
    AuthConfig auth = new AuthConfig(authMode(tree, "auth.mode"), secretsDir(tree.string("auth.secrets_dir"), dataDir));
    OpenFaasConfig openfaas = new OpenFaasConfig(
        tree.integer("openfaas.async_queue", 1, 1_000_000),
        tree.integer("openfaas.log_lines", 1, 1_000_000));
    ClusterConfig cluster = cluster(tree);
    List<UserVerticle> verticles = verticles(tree);
    tree.rejectUnread();
    return new EngineConfig(http, dataDir, runtime, invoke, registry, manifest, auth, openfaas, cluster, verticles);
  }

  private static List<UserVerticle> verticles(ConfigTree tree) {
    List<UserVerticle> verticles = new java.util.ArrayList<>();
    for (JsonObject entry : tree.objectList("verticles")) {
      if (!(entry.getValue("class") instanceof String name) || name.isBlank()) {
        throw new ConfigException("each of verticles needs a \"class\" naming the verticle's class");
      }
      Object config = entry.getValue("config", new JsonObject());
      if (!(config instanceof JsonObject object)) {
        throw new ConfigException("the \"config\" of verticle " + name + " must be an object");
      }
      if (!entry.fieldNames().stream().allMatch(field -> field.equals("class") || field.equals("config"))) {
        throw new ConfigException("verticle " + name + " may have only \"class\" and \"config\", got " + entry.fieldNames());
      }
      verticles.add(new UserVerticle(name, object));
    }
    return verticles;
  }

  private static ClusterConfig cluster(ConfigTree tree) {
    String host = tree.string("cluster.host");
    int port = tree.integer("cluster.port", 1, 65535);
    String nodeName = tree.string("cluster.node_name");
    List<String> members = tree.stringList("cluster.members");
    for (String member : members) {
      if (!member.matches("[^\\s:]+(:\\d{1,5})?")) {
        throw new ConfigException("cluster.members must be host or host:port entries, got \"" + member + "\"");
      }
    }
    Map<String, String> labels = tree.stringMap("cluster.labels");
    for (String key : labels.keySet()) {
      if (!key.matches("[A-Za-z0-9][A-Za-z0-9._/-]*")) {
        throw new ConfigException("cluster.labels has a bad key \"" + key + "\": letters, digits, . _ / - only");
      }
    }
    Duration heartbeat = Duration.ofMillis(tree.integer("cluster.heartbeat_ms", 100, 60_000));
    Duration failureDetection = Duration.ofMillis(tree.integer("cluster.failure_detection_ms", 1000, 600_000));
    if (failureDetection.compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw new ConfigException("cluster.failure_detection_ms must be at least twice cluster.heartbeat_ms");
    }
    return new ClusterConfig(
        tree.bool("cluster.enabled"),
        tree.string("cluster.name"),
        nodeName.isBlank() ? host + ":" + port : nodeName,
        host,
        tree.string("cluster.public_host"),
        port,
        members,
        tree.integer("cluster.bus_port", 0, 65535),
        labels,
        heartbeat,
        failureDetection,
        tree.integer("cluster.backups", 0, 6),
        Duration.ofMillis(tree.integer("cluster.replication_timeout_ms", 1, 600_000)),
        Duration.ofMillis(tree.integer("cluster.beacon_ms", 50, 60_000)));
  }

  private static Map<String, RegistryCredentials> credentials(ConfigTree tree) {
    Map<String, RegistryCredentials> credentials = new java.util.HashMap<>();
    for (String registry : tree.keys("registry.credentials")) {
      credentials.put(registry, new RegistryCredentials(
          tree.entryString("registry.credentials", registry, "username"),
          tree.entryString("registry.credentials", registry, "password")));
    }
    return Map.copyOf(credentials);
  }

  private static Optional<Path> optionalPath(String text) {
    return text.isBlank() ? Optional.empty() : Optional.of(Path.of(text).toAbsolutePath().normalize());
  }

  /** A leading {@code ~/} means the home directory of the user the engine runs as. */
  private String expandHome(String path) {
    if (!path.startsWith("~/")) {
      return path;
    }
    String userHome = environment.get("HOME");
    return userHome == null ? "" : userHome + path.substring(1);
  }

  private int perCoreDefault(int configured) {
    return configured == 0 ? cores : configured;
  }

  private static InvokeConfig.Scheduler scheduler(ConfigTree tree, String path) {
    String name = tree.string(path);
    return switch (name) {
      case "workers" -> InvokeConfig.Scheduler.WORKERS;
      case "virtual" -> InvokeConfig.Scheduler.VIRTUAL;
      default -> throw new ConfigException(path + " must be one of [workers, virtual], got \"" + name + "\"");
    };
  }

  private static AuthConfig.Mode authMode(ConfigTree tree, String path) {
    String name = tree.string(path);
    return switch (name) {
      case "auto" -> AuthConfig.Mode.AUTO;
      case "on" -> AuthConfig.Mode.ON;
      case "off" -> AuthConfig.Mode.OFF;
      default -> throw new ConfigException(path + " must be one of [auto, on, off], got \"" + name + "\"");
    };
  }

  /** Beside the data it protects unless configured elsewhere (e.g. a mounted secret). */
  private static Path secretsDir(String configured, Path dataDir) {
    return configured.isBlank() ? dataDir.resolve("auth") : Path.of(configured).toAbsolutePath().normalize();
  }

  private static InstancePolicy instancePolicy(ConfigTree tree, String path) {
    String name = tree.string(path);
    return InstancePolicy.parse(name).orElseThrow(() -> new ConfigException(
        path + " must be one of " + InstancePolicy.names() + ", got \"" + name + "\""));
  }

  private static ExecutionModel executionModel(ConfigTree tree, String path) {
    String name = tree.string(path);
    return ExecutionModel.parse(name).orElseThrow(() -> new ConfigException(
        path + " must be one of " + ExecutionModel.names() + ", got \"" + name + "\""));
  }

  private static Map<String, String> parseFlags(List<String> args) {
    Map<String, String> flags = new java.util.LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String flag = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        flag = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      if (!isKnownFlag(flag)) {
        throw new ConfigException("unknown option " + arg + "\n" + usage());
      }
      if (value == null && flag.equals(SWITCH_FLAG) && (i + 1 >= args.size() || args.get(i + 1).startsWith("--"))) {
        value = "true";
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new ConfigException("option " + flag + " needs a value");
        }
        value = args.get(++i);
      }
      flags.put(flag, value);
    }
    return flags;
  }

  private static boolean isKnownFlag(String flag) {
    return flag.equals(CONFIG_FLAG) || OPTIONS.stream().anyMatch(o -> o.flag().equals(flag));
  }

  private static JsonObject embeddedDefaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/config.json")) {
      if (in == null) {
        throw new IllegalStateException("config.json is missing from the class path: the build is broken");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the embedded config.json", e);
    }
  }

  private static JsonObject readFile(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException("config file " + file + " is not a JSON object: " + e.getMessage());
    }
  }

  /** Copies every leaf of {@code overlay} into {@code base}; unknown keys are caught later. */
  private static void mergeInto(JsonObject base, JsonObject overlay) {
    for (Map.Entry<String, Object> entry : overlay) {
      Object value = entry.getValue();
      Object existing = base.getValue(entry.getKey());
      if (value instanceof JsonObject nested && existing instanceof JsonObject target) {
        mergeInto(target, nested);
      } else {
        base.put(entry.getKey(), value);
      }
    }
  }

  private static void setPath(JsonObject tree, String path, String value) {
    String[] parts = path.split("\\.");
    JsonObject node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i]);
    }
    node.put(parts[parts.length - 1], value);
  }
}
