package dev.wasmengine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.runtime.ExecutionModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  static final Path HOME = Path.of("/opt/wasm-engine");

  @TempDir
  Path dir;

  static ConfigLoader loader(Map<String, String> environment) {
    return new ConfigLoader(environment, HOME, 4);
  }

  @Test
  void the_embedded_defaults_start_a_local_engine_like_the_original() {
    EngineConfig config = loader(Map.of()).load(List.of());
    assertEquals("127.0.0.1", config.http().bind());
    assertEquals(10000, config.http().port());
    assertEquals(4, config.http().instances(), "0 means one per core");
    assertEquals(4, config.invoke().workers(), "0 means one per core");
    assertEquals(Path.of("data").toAbsolutePath(), config.dataDir());
    assertEquals(ExecutionModel.JIT, config.runtime().defaultModel());
    assertEquals(64 * 1024, config.runtime().limits().maxInputBytes());
    assertEquals(Duration.ofSeconds(30), config.invoke().timeout());
    assertEquals(Optional.of(HOME.resolve("experiments/examples.json")), config.preloadManifest());
  }

  @Test
  void a_file_overrides_defaults_the_environment_overrides_the_file_and_options_override_both() throws IOException {
    Path file = Files.writeString(dir.resolve("engine.json"),
        "{\"http\": {\"port\": 7000, \"bind\": \"0.0.0.0\"}, \"invoke\": {\"timeout_ms\": 1500}}");
    Map<String, String> environment = Map.of("WASM_ENGINE_CONFIG", file.toString(), "WASM_ENGINE_PORT", "7100",
        "WASM_ENGINE_EXECUTION_MODEL", "aot", "UNRELATED", "x");
    EngineConfig config = loader(environment).load(List.of("--port", "7200", "--data-dir=" + dir.resolve("d")));
    assertEquals(7200, config.http().port(), "option over environment");
    assertEquals("0.0.0.0", config.http().bind(), "file over defaults");
    assertEquals(ExecutionModel.AOT, config.runtime().defaultModel(), "environment over defaults");
    assertEquals(Duration.ofMillis(1500), config.invoke().timeout());
    assertEquals(dir.resolve("d"), config.dataDir());
  }

  @Test
  void auth_is_auto_with_its_secrets_beside_the_data_and_openfaas_limits_default_to_a_thousand() {
    EngineConfig config = loader(Map.of()).load(List.of("--data-dir", dir.resolve("d").toString()));
    assertEquals(new AuthConfig(AuthConfig.Mode.AUTO, dir.resolve("d").resolve("auth")), config.auth());
    assertEquals(new OpenFaasConfig(1000, 1000), config.openfaas());
  }

  @Test
  void auth_and_openfaas_limits_follow_the_file_the_environment_and_the_option() throws IOException {
    Path file = Files.writeString(dir.resolve("engine.json"), "{\"auth\": {\"mode\": \"on\", \"secrets_dir\": \""
        + dir.resolve("secrets/../vault") + "\"}, \"openfaas\": {\"async_queue\": 1, \"log_lines\": 1000000}}");
    EngineConfig fromFile = loader(Map.of("WASM_ENGINE_CONFIG", file.toString())).load(List.of());
    assertEquals(new AuthConfig(AuthConfig.Mode.ON, dir.resolve("vault")), fromFile.auth(), "absolute and normalised");
    assertEquals(new OpenFaasConfig(1, 1_000_000), fromFile.openfaas());

    Map<String, String> environment = Map.of("WASM_ENGINE_CONFIG", file.toString(), "WASM_ENGINE_AUTH", "off");
    assertEquals(AuthConfig.Mode.OFF, loader(environment).load(List.of()).auth().mode(), "environment over file");
    assertEquals(AuthConfig.Mode.AUTO, loader(environment).load(List.of("--auth=auto")).auth().mode(),
        "option over environment");
  }

  @Test
  void a_relative_secrets_dir_is_made_absolute() throws IOException {
    Path file = Files.writeString(dir.resolve("engine.json"), "{\"auth\": {\"secrets_dir\": \"./secrets/./x\"}}");
    assertEquals(Path.of("secrets/x").toAbsolutePath(),
        loader(Map.of()).load(List.of("--config", file.toString())).auth().secretsDir());
  }

  @Test
  void wrong_auth_and_openfaas_values_are_refused() throws IOException {
    assertRefused(List.of("--auth", "yes"), "auth.mode must be one of [auto, on, off], got \"yes\"");
    assertRefused(List.of("--auth", "ON"), "auth.mode must be one of [auto, on, off]");
    Path zeroQueue = Files.writeString(dir.resolve("q.json"), "{\"openfaas\": {\"async_queue\": 0}}");
    assertRefused(List.of("--config", zeroQueue.toString()), "openfaas.async_queue must be between 1 and 1000000, got 0");
    Path hugeLogs = Files.writeString(dir.resolve("l.json"), "{\"openfaas\": {\"log_lines\": 1000001}}");
    assertRefused(List.of("--config", hugeLogs.toString()), "openfaas.log_lines must be between 1 and 1000000, got 1000001");
    Path typo = Files.writeString(dir.resolve("t.json"), "{\"auth\": {\"secret_dir\": \"/x\"}}");
    assertRefused(List.of("--config", typo.toString()), "unknown config key auth.secret_dir");
    Path notString = Files.writeString(dir.resolve("s.json"), "{\"auth\": {\"secrets_dir\": 5}}");
    assertRefused(List.of("--config", notString.toString()), "auth.secrets_dir must be a string, got 5");
  }

  @Test
  void the_usage_lists_the_auth_option() {
    assertTrue(ConfigLoader.usage().contains("--auth VALUE"), ConfigLoader.usage());
    assertTrue(ConfigLoader.usage().contains("WASM_ENGINE_AUTH"), ConfigLoader.usage());
  }

  @Test
  void preloading_can_be_turned_off() {
    assertEquals(Optional.empty(), loader(Map.of()).load(List.of("--preload", "none")).preloadManifest());
  }

  @Test
  void every_wrong_value_is_refused_with_its_key_and_what_it_must_be() throws IOException {
    assertRefused(List.of("--port", "notaport"), "http.port must be an integer, got \"notaport\"");
    assertRefused(List.of("--port", "70000"), "http.port must be between 0 and 65535, got 70000");
    assertRefused(List.of("--execution-model", "turbo"), "runtime.default_execution_model must be one of [jit, aot]");
    assertRefused(List.of("--workers", "-1"), "invoke.workers must be between 0 and 1024");
    assertRefused(List.of("--bogus", "1"), "unknown option --bogus");
    assertRefused(List.of("--port"), "option --port needs a value");
    Path typo = Files.writeString(dir.resolve("typo.json"), "{\"http\": {\"prot\": 1}, \"extra\": true}");
    assertRefused(List.of("--config", typo.toString()), "unknown config keys http.prot, extra");
    Path notJson = Files.writeString(dir.resolve("bad.json"), "port = 1");
    assertRefused(List.of("--config", notJson.toString()), "is not a JSON object");
    assertRefused(List.of("--config", dir.resolve("missing.json").toString()), "cannot read config file");
    Path wrongType = Files.writeString(dir.resolve("type.json"), "{\"http\": {\"port\": true}}");
    assertRefused(List.of("--config", wrongType.toString()), "http.port must be an integer, got true");
  }

  private static void assertRefused(List<String> args, String messagePart) {
    ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(args));
    assertTrue(e.getMessage().contains(messagePart), "\"" + e.getMessage() + "\" should contain \"" + messagePart + "\"");
  }

  @Test
  void a_single_engine_is_the_default_and_cluster_flags_switch_it_on_with_its_join_settings() {
    EngineConfig single = loader(Map.of()).load(List.of());
    assertEquals(false, single.cluster().enabled());
    assertEquals(List.of(), single.verticles());

    EngineConfig config = loader(Map.of("WASM_ENGINE_NODE_LABELS", "tier=edge, region=eu")).load(List.of(
        "--cluster", "--cluster-members", "10.0.0.1:5701,10.0.0.2:5701", "--cluster-host", "10.0.0.1",
        "--cluster-port", "5701", "--node-name", "edge-1"));
    ClusterConfig cluster = config.cluster();
    assertTrue(cluster.enabled(), "the flag alone means true");
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701"), cluster.members());
    assertEquals("10.0.0.1", cluster.host());
    assertEquals("edge-1", cluster.nodeName());
    assertEquals(Map.of("tier", "edge", "region", "eu"), cluster.labels());
    assertEquals("wasmengine", cluster.name());
    assertEquals(1, cluster.backups());

    EngineConfig unnamed = loader(Map.of()).load(List.of("--cluster", "--cluster-port", "5801", "--port", "1"));
    assertEquals("127.0.0.1:5801", unnamed.cluster().nodeName(), "a node is named by its cluster address by default");
    assertEquals(false, loader(Map.of()).load(List.of("--cluster", "false")).cluster().enabled());
  }

  @Test
  void bad_cluster_settings_and_verticles_are_refused_with_the_key_named() throws IOException {
    assertRefused(List.of("--cluster-members", "10.0.0.1:5701, not a host"), "cluster.members");
    assertRefused(List.of("--node-labels", "tier"), "cluster.labels");
    assertRefused(List.of("--cluster", "yes"), "cluster.enabled");
    Path slow = Files.writeString(dir.resolve("slow.json"),
        "{\"cluster\": {\"heartbeat_ms\": 2000, \"failure_detection_ms\": 3000}}");
    assertRefused(List.of("--config", slow.toString()), "failure_detection_ms");
    Path verticle = Files.writeString(dir.resolve("verticle.json"), "{\"verticles\": [{\"config\": {}}]}");
    assertRefused(List.of("--config", verticle.toString()), "class");
  }

  @Test
  void verticles_of_the_operator_come_from_the_config_file_with_their_config() throws IOException {
    Path file = Files.writeString(dir.resolve("verticles.json"),
        "{\"verticles\": [{\"class\": \"com.example.Caller\", \"config\": {\"port\": 9000}}]}");
    EngineConfig config = loader(Map.of()).load(List.of("--config", file.toString()));
    assertEquals(1, config.verticles().size());
    assertEquals("com.example.Caller", config.verticles().getFirst().className());
    assertEquals(9000, config.verticles().getFirst().config().getInteger("port"));
  }
}
