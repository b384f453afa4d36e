package dev.wasmengine.registry;

import dev.wasmengine.runtime.ModuleDigest;
import java.util.Optional;

/**
 * A module as an image yielded it.
 *
 * @param imageDigest the manifest it came from (absent for a plain module file)
 * @param layerDigest the layer blob that held it (absent for a plain module file)
 */
record PulledModule(byte[] module, Optional<ModuleDigest> imageDigest, Optional<ModuleDigest> layerDigest) {}
