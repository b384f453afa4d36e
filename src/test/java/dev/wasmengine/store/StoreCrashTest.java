package dev.wasmengine.store;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wasmengine.testing.Modules;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A store write interrupted mid-way, by killing the writing process with SIGKILL, leaves a
 * readable previous state: every acknowledged save survives, no record is torn, and the next
 * open cleans up what the interrupted write left.
 */
class StoreCrashTest {
  private static final Duration ACK_DEADLINE = Duration.ofSeconds(60);
  private static final Duration EXIT_DEADLINE = Duration.ofSeconds(60);
  private static final Pattern SAVED = Pattern.compile("saved (\\S+) (\\d+)");
  private static final Duration TEMP_DEADLINE = Duration.ofSeconds(10);
  private static final int MAX_POLLS = 1_000_000;
  private static final String END = "\u0000end of output";

  @ParameterizedTest(name = "killed after {0} acknowledged saves")
  @ValueSource(ints = {20, 37, 53})
  void a_store_write_interrupted_mid_way_the_process_killed_leaves_a_readable_previous_state(
      int acknowledged, @TempDir Path data) throws Exception {
    Map<String, Integer> lastAcknowledged = killWriterAfter(acknowledged, data);
    List<Path> leftBehind = tempFiles(data);
    System.out.println("temp files left behind by the kill: " + leftBehind);

    FunctionStore store = FunctionStore.open(data);
    List<FunctionRecord> loaded = assertDoesNotThrow(store::loadAll, "loadAll after the kill");

    assertEquals(List.of(), tempFiles(data), "temp files left after open (before open: " + leftBehind + ")");

    Map<String, FunctionRecord> byName = new TreeMap<>();
    loaded.forEach(record -> byName.put(record.name(), record));
    assertEquals(loaded.size(), byName.size(), "one record per name");
    assertTrue(byName.keySet().containsAll(lastAcknowledged.keySet()),
        "acknowledged " + lastAcknowledged.keySet() + ", restored " + byName.keySet());
    for (Map.Entry<String, Integer> ack : lastAcknowledged.entrySet()) {
      FunctionRecord record = byName.get(ack.getKey());
      assertEquals(StoreWriter.IMAGE_LENGTH, record.image().length(), "torn image of " + ack.getKey());
      Matcher header = Pattern.compile("pad/" + Pattern.quote(ack.getKey()) + "/(\\d+)/.*", Pattern.DOTALL)
          .matcher(record.image());
      assertTrue(header.matches(), "the image of " + ack.getKey() + " starts with a wrong header: "
          + record.image().substring(0, 40));
      int saved = Integer.parseInt(header.group(1));
      assertTrue(saved >= ack.getValue(), ack.getKey() + ": save " + ack.getValue()
          + " was acknowledged, but the store holds the older save " + saved);
      assertEquals(StoreWriter.image(ack.getKey(), saved), record.image(), "the image of " + ack.getKey());
      assertEquals(Modules.bytes(Modules.example("gcd")).length, store.readModule(record.digest()).length);
    }

    // Every record file on disk parses, not only those loadAll chose to return.
    try (Stream<Path> files = Files.list(data.resolve("functions"))) {
      for (Path file : files.toList()) {
        assertDoesNotThrow(() -> FunctionRecord.fromJson(new JsonObject(Files.readString(file))),
            "record file " + file.getFileName());
      }
    }
    JsonObject index = assertDoesNotThrow(() -> new JsonObject(Files.readString(data.resolve("oci").resolve("index.json"))),
        "the layout index is readable");
    assertEquals(StoreWriter.NAMES.size(), index.getJsonArray("manifests").size(), index.encodePrettily());
  }

  /** Runs a StoreWriter until it has acknowledged {@code saves} saves, then kills it; returns the last save acknowledged per name. */
  private static Map<String, Integer> killWriterAfter(int saves, Path data) throws IOException, InterruptedException {
    Path module = Modules.example("gcd");
    String classPath = System.getProperty("java.class.path");
    assertTrue(classPath.contains("test-classes"), "this JVM's class path lacks the test classes: " + classPath);
    List<String> command = List.of(javaBinary(), "-cp", classPath, StoreWriter.class.getName(),
        data.toString(), module.toString());
    Process writer = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofPlatform().daemon().name("store-writer-" + writer.pid()).start(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("[reading the writer's output failed: " + e + "]");
      } finally {
        lines.add(END);
      }
    });

    Map<String, Integer> lastAcknowledged = new HashMap<>();
    List<String> output = new ArrayList<>();
    try {
      long deadline = System.nanoTime() + ACK_DEADLINE.toNanos();
      int acknowledgements = 0;
      while (acknowledgements < saves) {
        long left = deadline - System.nanoTime();
        String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
        if (line == null) {
          fail("the writer acknowledged " + acknowledgements + " of " + saves + " saves within " + ACK_DEADLINE
              + "; output:\n" + String.join("\n", output));
        }
        if (line.equals(END)) {
          fail("the writer ended after " + acknowledgements + " saves; output:\n" + String.join("\n", output));
        }
        output.add(line);
        Matcher saved = SAVED.matcher(line);
        if (saved.matches()) {
          lastAcknowledged.put(saved.group(1), Integer.parseInt(saved.group(2)));
          acknowledgements++;
        }
      }
      // The writer is in its next save by now. To make it likely that the kill lands while a file
      // is half-written, wait (bounded) until one of its temp files exists, then kill at once.
      boolean midWrite = awaitTempFile(data);
      writer.destroyForcibly();
      System.out.println("killed the writer after " + acknowledgements + " acknowledged saves"
          + (midWrite ? ", a temp file just seen" : ", no temp file seen within " + TEMP_DEADLINE));
      assertTrue(writer.waitFor(EXIT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "the writer survived SIGKILL");
      assertEquals(128 + 9, writer.exitValue(), "the writer should have died of SIGKILL, not ended by itself");
    } finally {
      writer.destroyForcibly();
    }
    return lastAcknowledged;
  }

  /** Polls the store's directories until a temp file shows up, at most {@link #TEMP_DEADLINE} and {@link #MAX_POLLS} looks. */
  private static boolean awaitTempFile(Path data) throws IOException {
    List<Path> dirs = List.of(data.resolve("functions"), data.resolve("oci"), data.resolve("oci").resolve("blobs").resolve("sha256"));
    long deadline = System.nanoTime() + TEMP_DEADLINE.toNanos();
    for (int polls = 0; polls < MAX_POLLS && System.nanoTime() - deadline < 0; polls++) {
      for (Path dir : dirs) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
          for (Path entry : entries) {
            if (AtomicFiles.isTemp(entry)) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  private static List<Path> tempFiles(Path data) throws IOException {
    try (Stream<Path> files = Files.walk(data)) {
      return files.filter(Files::isRegularFile).filter(AtomicFiles::isTemp).map(data::relativize).sorted().toList();
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
