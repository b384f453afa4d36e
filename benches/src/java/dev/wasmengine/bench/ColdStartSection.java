package dev.wasmengine.bench;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Cold starts. (1) Deploy request to first response for a ~100 KB module pulled from a real
 * docker-registry on loopback, beside the same module deployed from a local file; every round
 * deploys, calls once and deletes, so each pulls and compiles afresh. (2) The first call after a
 * function scaled to zero, beside a warm call of the same function.
 */
public final class ColdStartSection implements Section {
  @Override
  public String name() {
    return "cold_start";
  }

  @Override
  public JsonObject run(BenchContext context) throws Exception {
    Path module = buildModule(context);
    JsonArray deploys = new JsonArray();
    JsonArray scaleToZero = new JsonArray();
    try (LoopbackRegistry registry = LoopbackRegistry.start(context)) {
      String image = registry.push(context, module, "bench/fn:v1");
      for (String model : List.of("jit", "aot")) {
        try (InProcessEngine engine = InProcessEngine.start(context, "cold-" + model, model, new JsonObject())) {
          Samples fromFile = new Samples();
          Samples fromRegistry = new Samples();
          for (int round = -1; round < context.budget().rounds(); round++) {
            long file = deployAndCall(engine, "file-" + round, module.toString());
            long pulled = deployAndCall(engine, "pulled-" + round, image);
            if (round >= 0) {
              fromFile.add(file);
              fromRegistry.add(pulled);
            }
          }
          deploys.add(new JsonObject().put("model", model).put("module_bytes", Files.size(module))
              .put("file_p50_ms", fromFile.percentileMicros(50) / 1000).put("registry_p50_ms", fromRegistry.percentileMicros(50) / 1000)
              .put("registry_p90_ms", fromRegistry.percentileMicros(90) / 1000).put("rounds", fromRegistry.count()));
        }
        scaleToZero.add(scaleToZero(context, model));
      }
    }
    return new JsonObject().put("deploy_to_first_response", deploys).put("after_scale_to_zero", scaleToZero);
  }

  private static long deployAndCall(InProcessEngine engine, String name, String image) throws Exception {
    long start = System.nanoTime();
    engine.deploy(new JsonObject().put("function_name", name).put("function_image", image).put("wasi_cap", true));
    engine.invoke(name, "{}");
    long took = System.nanoTime() - start;
    engine.delete(name);
    return took;
  }

  private static JsonObject scaleToZero(BenchContext context, String model) throws Exception {
    JsonObject config = new JsonObject().put("invoke", new JsonObject().put("idle_ms", 100));
    try (InProcessEngine engine = InProcessEngine.start(context, "zero-" + model, model, config)) {
      engine.deploy("hello", context.home().resolve("experiments/dist/hello.wasm").toString());
      Samples cold = new Samples();
      Samples warm = new Samples();
      for (int round = -1; round < context.budget().rounds(); round++) {
        awaitPool(engine, 0);
        long start = System.nanoTime();
        engine.invoke("hello", "{}");
        long coldTook = System.nanoTime() - start;
        awaitPool(engine, 1);
        start = System.nanoTime();
        engine.invoke("hello", "{}");
        long warmTook = System.nanoTime() - start;
        if (round >= 0) {
          cold.add(coldTook);
          warm.add(warmTook);
        }
      }
      return new JsonObject().put("model", model).put("function", "hello")
          .put("cold_p50_us", cold.percentileMicros(50)).put("warm_p50_us", warm.percentileMicros(50))
          .put("rounds", cold.count());
    }
  }

  /** Polls the pool gauge (bounded: 30 s, 10 ms apart) until it holds {@code size} instances. */
  private static void awaitPool(InProcessEngine engine, int size) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Gauge pool = engine.metrics().find("wasmengine.pool.instances").tag("function", "hello").gauge();
      if (pool != null && pool.value() == size) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    throw new IllegalStateException("the pool of hello never reached " + size + " instances");
  }

  /** A WASI command of about 100 KB: 60 generated functions and printf (experiments/large). */
  private static Path buildModule(BenchContext context) throws Exception {
    Path dir = context.scratch("cold-module");
    Path source = dir.resolve("fn.c");
    Files.writeString(source, context.run(List.of(context.home().resolve("experiments/large/gen-many-functions.sh").toString(),
        "60"), Duration.ofMinutes(1)));
    Path module = dir.resolve("fn.wasm");
    context.run(List.of("clang", "--target=wasm32-wasi", "--sysroot=/usr", "-O0", source.toString(), "-o", module.toString()),
        Duration.ofMinutes(2));
    return module;
  }

  /** A real docker-registry on a free loopback port, pushed to with skopeo. */
  static final class LoopbackRegistry implements AutoCloseable {
    private final Process process;
    private final int port;

    private LoopbackRegistry(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static LoopbackRegistry start(BenchContext context) throws Exception {
      Path dir = context.scratch("registry");
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      Path config = dir.resolve("config.yml");
      Files.writeString(config, String.join("\n", "version: 0.1", "log:", "  level: error", "storage:", "  filesystem:",
          "    rootdirectory: " + dir.resolve("data"), "  delete:", "    enabled: true", "http:",
          "  addr: 127.0.0.1:" + port, ""));
      Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
      LoopbackRegistry registry = new LoopbackRegistry(process, port);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
          return registry;
        } catch (IOException notYet) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
      }
      registry.close();
      throw new IllegalStateException("docker-registry did not listen on " + port);
    }

    /** Pushes the module as a Wasm artifact; returns its reference. */
    String push(BenchContext context, Path module, String repository) throws Exception {
      Path layout = context.scratch("layout");
      context.run(List.of(context.home().resolve("experiments/make-oci.sh").toString(), module.toString(),
          layout.toString(), "v1", "artifact"), Duration.ofMinutes(1));
      String reference = "127.0.0.1:" + port + "/" + repository;
      context.run(List.of("skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:" + layout + ":v1", "docker://" + reference),
          Duration.ofMinutes(1));
      return reference;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
