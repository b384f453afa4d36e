package dev.wasmengine.registry;

import dev.wasmengine.error.InternalException;
import dev.wasmengine.registry.oci.Descriptor;
import dev.wasmengine.registry.oci.ImageReference;
import dev.wasmengine.registry.oci.Manifests;
import dev.wasmengine.registry.oci.MediaTypes;
import dev.wasmengine.registry.oci.ModuleLayer;
import dev.wasmengine.registry.oci.PlatformChoice;
import dev.wasmengine.registry.oci.RegistryClient;
import dev.wasmengine.runtime.ModuleDigest;
import dev.wasmengine.store.FunctionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Pulls the module of a function image: manifest (through an index to the platform that fits),
 * then its one layer, streamed to {@code tmp/} and verified, then unpacked (blocking, on the
 * registry pool). A layer this node already holds the module of is not downloaded again.
 */
final class ImagePuller {
  private final Vertx vertx;
  private final RegistryClient client;
  private final FunctionStore store;
  private final WorkerExecutor io;
  private final long maxUnpackedBytes;
  /** The module a stored function got from a layer, by layer digest. */
  private final Function<ModuleDigest, Optional<ModuleDigest>> knownLayers;

  ImagePuller(Vertx vertx, RegistryClient client, FunctionStore store, WorkerExecutor io, long maxUnpackedBytes,
      Function<ModuleDigest, Optional<ModuleDigest>> knownLayers) {
    this.vertx = vertx;
    this.client = client;
    this.store = store;
    this.io = io;
    this.maxUnpackedBytes = maxUnpackedBytes;
    this.knownLayers = knownLayers;
  }

  Future<PulledModule> pull(ImageReference ref) {
    return client.manifest(ref).compose(top -> {
      if (!Manifests.isIndex(top.mediaType(), top.json())) {
        return Future.succeededFuture(top);
      }
      Descriptor entry = PlatformChoice.pick(Manifests.entries(top.json(), "image index of " + ref));
      return client.manifest(ref.withDigest(entry.digest()));
    }).compose(manifest -> {
      Descriptor layer = Manifests.moduleLayer(manifest.json());
      return moduleOf(ref, layer).map(module ->
          new PulledModule(module, Optional.of(manifest.digest()), Optional.of(layer.digest())));
    });
  }

  private Future<byte[]> moduleOf(ImageReference ref, Descriptor layer) {
    Optional<ModuleDigest> held = MediaTypes.RAW_MODULE_LAYERS.contains(layer.mediaType())
        ? Optional.of(layer.digest()).filter(store::containsModule)
        : knownLayers.apply(layer.digest()).filter(store::containsModule);
    if (held.isPresent()) {
      return io.executeBlocking(() -> store.readModule(held.get()), false);
    }
    return vertx.fileSystem().createTempFile(store.tempDir().toString(), "pull-", ".blob", (String) null)
        .compose(temp -> client.blob(ref, layer, Path.of(temp))
            .compose(verified -> io.executeBlocking(() -> unpack(layer, Path.of(temp)), false))
            .eventually(() -> vertx.fileSystem().delete(temp).recover(gone -> Future.succeededFuture())));
  }

  private byte[] unpack(Descriptor layer, Path blob) {
    try (InputStream in = Files.newInputStream(blob)) {
      return ModuleLayer.module(layer.mediaType(), in, maxUnpackedBytes);
    } catch (IOException e) {
      throw new InternalException("cannot read a downloaded layer", e);
    }
  }
}
