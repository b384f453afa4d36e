package dev.wasmengine.registry;

import dev.wasmengine.error.BadImageException;
import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.runtime.CompiledModule;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.FunctionAbi;
import dev.wasmengine.runtime.FunctionKind;
import dev.wasmengine.runtime.GuestInstance;
import dev.wasmengine.runtime.InstancePolicy;
import dev.wasmengine.runtime.ModuleCache;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.store.FunctionRecord;
import dev.wasmengine.store.FunctionStore;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Everything a module goes through before a function may use it: compiled (once per digest),
 * checked against its ABI, instantiated once to prove its imports link, stored. Blocking.
 */
final class ModuleAdmission {
  private final ModuleCache modules;
  private final FunctionStore store;
  private final ExecutionModel defaultModel;
  private final int defaultMaxMemoryPages;
  /** Modules stored by deploys that have not saved their record yet; cleanup must spare them. */
  private final Set<ModuleDigest> inFlight;
  /** Whether a deployed function uses a module, so a refused deploy must not drop it from the cache. */
  private final Predicate<ModuleDigest> inUse;

  ModuleAdmission(ModuleCache modules, FunctionStore store, ExecutionModel defaultModel, int defaultMaxMemoryPages,
      Set<ModuleDigest> inFlight, Predicate<ModuleDigest> inUse) {
    this.modules = modules;
    this.store = store;
    this.defaultModel = defaultModel;
    this.defaultMaxMemoryPages = defaultMaxMemoryPages;
    this.inFlight = inFlight;
    this.inUse = inUse;
  }

  /** Returns the record the function will have; its module is stored and marked in flight. */
  FunctionRecord admit(DeployRequest request, PulledModule pulled) throws IOException {
    byte[] bytes = pulled.module();
    ExecutionModel model = request.executionModel().orElse(defaultModel);
    ModuleDigest digest = ModuleDigest.of(bytes);
    int maxMemoryPages = request.options().maxMemoryPages().orElse(defaultMaxMemoryPages);
    CompiledModule compiled = modules.get(model, digest, maxMemoryPages, () -> bytes);
    FunctionKind kind;
    try {
      kind = request.kind().orElseGet(() -> FunctionAbi.detect(compiled.shape(), request.wasiDefault()));
      FunctionAbi.of(kind).check(compiled.shape(), request.name());
      if (kind.wasi() && request.options().instancePolicy().orElse(InstancePolicy.FRESH) == InstancePolicy.REUSE) {
        throw new BadRequestException("instance_policy reuse needs an ABI 1 function: a WASI command runs _start"
            + " once per instance");
      }
      try (GuestInstance probe = compiled.instantiate()) {
        // Instantiating once proves every import links, before anyone depends on the function.
      }
    } catch (RuntimeException refused) {
      // A refused module must not stay compiled in memory, unless a deployed function uses it.
      if (!inUse.test(digest)) {
        modules.release(digest);
      }
      throw refused;
    }
    storeInFlight(digest, bytes);
    return new FunctionRecord(request.ref(), request.image(), pulled.imageDigest(), pulled.layerDigest(), digest,
        kind, model, bytes.length, Instant.now().truncatedTo(ChronoUnit.MILLIS), request.options(), 0);
  }

  /** Stores the module, marked in flight until its record is saved (cleanup must spare it meanwhile). */
  private void storeInFlight(ModuleDigest digest, byte[] bytes) throws IOException {
    inFlight.add(digest);
    try {
      store.putModule(bytes);
    } catch (IOException e) {
      inFlight.remove(digest);
      throw e;
    }
  }

  /**
   * Takes in a function another node admitted: its module must be the one the record names; it
   * is compiled here and stored, and marked in flight like a deploy's.
   */
  FunctionRecord adopt(FunctionRecord record, byte[] bytes) throws IOException {
    ModuleDigest digest = ModuleDigest.of(bytes);
    if (!digest.equals(record.digest())) {
      throw new BadImageException("the module fetched for " + record.ref() + " has digest " + digest
          + ", not the " + record.digest() + " its record names");
    }
    modules.get(record.executionModel(), digest, record.options().maxMemoryPages().orElse(defaultMaxMemoryPages),
        () -> bytes);
    storeInFlight(digest, bytes);
    return record;
  }
}
