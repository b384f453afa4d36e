package dev.wasmengine.testing;

import dev.wasmengine.Engine;
import dev.wasmengine.config.ConfigLoader;
import dev.wasmengine.config.EngineConfig;
import dev.wasmengine.runtime.ExecutionModel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real engine in this JVM on a random loopback port with its own data directory, and an HTTP
 * client that talks to it. Built through the real config loader, as the command line would.
 */
public final class RunningEngine implements AutoCloseable {
  private final Vertx vertx;
  private final Engine engine;
  private final WebClient client;
  private final EngineConfig config;

  private RunningEngine(Vertx vertx, EngineConfig config, Engine engine) {
    this.vertx = vertx;
    this.config = config;
    this.engine = engine;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(engine.port()));
  }

  public static RunningEngine start(Vertx vertx, Path dataDir, ExecutionModel defaultModel, String... extraArgs) {
    List<String> args = new ArrayList<>(List.of(
        "--port", "0", "--data-dir", dataDir.toString(), "--preload", "none",
        "--execution-model", defaultModel.wireName(), "--workers", "2"));
    args.addAll(List.of(extraArgs));
    EngineConfig config = new ConfigLoader(Map.of(), Modules.home(), 2).load(args);
    return new RunningEngine(vertx, config, Await.result(Engine.start(vertx, config)));
  }

  public int port() {
    return engine.port();
  }

  public EngineConfig config() {
    return config;
  }

  public Engine engine() {
    return engine;
  }

  public HttpResponse<Buffer> post(String path, JsonObject body) {
    return Await.result(client.post(path).sendJsonObject(body));
  }

  public HttpResponse<Buffer> postRaw(String path, String body) {
    return Await.result(client.post(path).sendBuffer(Buffer.buffer(body)));
  }

  public HttpResponse<Buffer> get(String path) {
    return Await.result(client.get(path).send());
  }

  public HttpResponse<Buffer> deploy(String name, Path module, Boolean wasiCap) {
    JsonObject body = new JsonObject().put("function_name", name).put("function_image", module.toString());
    if (wasiCap != null) {
      body.put("wasi_cap", wasiCap);
    }
    return post("/function/deploy", body);
  }

  public HttpResponse<Buffer> invoke(String name, JsonObject args) {
    return post("/function/invoke", new JsonObject().put("function_name", name).put("args", args));
  }

  @Override
  public void close() {
    client.close();
    Await.result(engine.stop());
  }

  public Vertx vertx() {
    return vertx;
  }
}
