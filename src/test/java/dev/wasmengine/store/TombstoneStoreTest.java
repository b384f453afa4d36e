package dev.wasmengine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TombstoneStoreTest {
  @TempDir
  Path data;

  @Test
  void deletes_survive_a_reopen_and_only_a_later_revision_replaces_one() throws IOException {
    TombstoneStore tombstones = TombstoneStore.open(data);
    tombstones.put("openfaas-fn/gone", 20);
    tombstones.put("openfaas-fn/gone", 10);
    tombstones.put("staging/old", 5);
    assertEquals(Map.of("openfaas-fn/gone", 20L, "staging/old", 5L), TombstoneStore.open(data).all());
    tombstones.put("openfaas-fn/gone", 30);
    assertEquals(30L, TombstoneStore.open(data).all().get("openfaas-fn/gone"));
  }

  @Test
  void an_unreadable_file_leaves_the_node_without_tombstones_and_a_temp_file_is_cleared() throws IOException {
    Files.createDirectories(data.resolve("cluster"));
    Files.writeString(data.resolve("cluster/tombstones.json"), "{not json");
    Files.writeString(data.resolve("cluster/.tombstones.json.1234.tmp"), "partial");
    assertEquals(Map.of(), TombstoneStore.open(data).all());
    assertEquals(false, Files.exists(data.resolve("cluster/.tombstones.json.1234.tmp")));
  }
}
