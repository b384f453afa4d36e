package dev.wasmengine.runtime.chicory;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.UnlinkableException;
import com.dylibso.chicory.wasm.WasmModule;
import dev.wasmengine.error.LinkException;
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.runtime.ModuleShape;
import dev.wasmengine.runtime.WasiContext;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.util.function.Function;

/** A module translated to JVM classes once; each instance gets its own memory, globals and WASI. */
final class ChicoryModule implements CompiledModule {
  /** WASI random_get draws from this; shared because SecureRandom is thread-safe and costly to seed. */
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ModuleDigest digest;
  private final WasmModule module;
  private final ModuleShape shape;
  /** Tied to this exact WasmModule object: Chicory refuses it for a re-parsed copy. */
  private final Function<Instance, Machine> machines;

  ChicoryModule(ModuleDigest digest, WasmModule module, ModuleShape shape, Function<Instance, Machine> machines) {
    this.digest = digest;
    this.module = module;
    this.shape = shape;
    this.machines = machines;
  }

  @Override
  public ModuleDigest digest() {
    return digest;
  }

  @Override
  public ModuleShape shape() {
    return shape;
  }

  @Override
  public GuestInstance instantiate(WasiContext wasi) {
    WasiPreview1 wasiHost = shape.importsWasi() ? WasiPreview1.builder().withOptions(options(wasi)).build() : null;
    ImportValues imports = wasiHost == null
        ? ImportValues.empty()
        : ImportValues.builder().addFunction(wasiHost.toHostFunctions()).build();
    try {
      Instance instance = Instance.builder(module)
          .withMachineFactory(machines)
          .withImportValues(imports)
          .withStart(false)
          .build();
      return new ChicoryInstance(instance, wasiHost);
    } catch (UnlinkableException e) {
      closeQuietly(wasiHost);
      throw new LinkException("module cannot be linked: " + e.getMessage());
    } catch (ChicoryException | StackOverflowError e) {
      closeQuietly(wasiHost);
      throw ChicoryTraps.translate(e);
    }
  }

  /** Exactly what the context grants: its argv, its env, its streams; no directories, no host env. */
  private static WasiOptions options(WasiContext wasi) {
    WasiOptions.Builder options = WasiOptions.builder()
        .withArguments(wasi.args())
        .withStdin(new ByteArrayInputStream(wasi.stdin()), false)
        .withStdout(wasi.stdout(), false)
        .withStderr(wasi.stderr(), false)
        .withRandom(RANDOM);
    wasi.env().forEach(options::withEnvironment);
    return options.build();
  }

  private static void closeQuietly(WasiPreview1 wasiHost) {
    if (wasiHost != null) {
      wasiHost.close();
    }
  }
}
