package dev.wasmengine.store;

import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.FunctionKind;
import dev.wasmengine.runtime.ModuleDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * A child process for {@link StoreCrashTest}: saves records over and over into a store until it
 * is killed, printing {@code saved <name> <n>} once each save has returned. Every record's image
 * is {@link #IMAGE_LENGTH} characters, so each write takes a while and a torn one shows.
 *
 * <p>Arguments: the data directory, the module file to store.
 */
public final class StoreWriter {
  static final List<String> NAMES = List.of("w0", "w1", "w2", "w3", "w4");
  static final int IMAGE_LENGTH = 256 * 1024;
  static final int MAX_SAVES = 100_000;

  private StoreWriter() {}

  /** The image of save number {@code n} of function {@code name}: its header, then padding to the full length. */
  static String image(String name, int n) {
    StringBuilder image = new StringBuilder(IMAGE_LENGTH).append(header(name, n));
    while (image.length() < IMAGE_LENGTH) {
      image.append('x');
    }
    return image.toString();
  }

  static String header(String name, int n) {
    return "pad/" + name + "/" + n + "/";
  }

  public static void main(String[] args) throws IOException {
    FunctionStore store = FunctionStore.open(Path.of(args[0]));
    byte[] module = Files.readAllBytes(Path.of(args[1]));
    ModuleDigest digest = store.putModule(module);
    Map<String, FunctionRecord> all = new LinkedHashMap<>();
    for (int n = 0; n < MAX_SAVES; n++) {
      String name = NAMES.get(n % NAMES.size());
      FunctionRecord record = new FunctionRecord(FunctionRef.of(name), image(name, n), Optional.empty(), Optional.empty(), digest,
          FunctionKind.EXPORT, ExecutionModel.AOT,
          module.length, Instant.now().truncatedTo(ChronoUnit.MILLIS), FunctionOptions.NONE, 0);
      all.put(name, record);
      store.save(record, all.values());
      System.out.println("saved " + name + " " + n);
      System.out.flush();
    }
  }
}
