package dev.wasmengine.registry.oci;

import java.util.List;
import java.util.Set;

/** The media types a function image can be made of. */
public final class MediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String WASM_CONFIG = "application/vnd.wasm.config.v0+json";

  /** Sent as Accept on every manifest request: registries answer 404 for a kind not accepted. */
  public static final String MANIFEST_ACCEPT = String.join(", ",
      List.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST));

  public static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
  public static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);

  /** Wasm artifacts: the layer blob is the module itself. */
  public static final Set<String> RAW_MODULE_LAYERS = Set.of(
      "application/wasm",
      "application/vnd.wasm.content.layer.v1+wasm",
      "application/vnd.module.wasm.content.layer.v1+wasm");
  public static final Set<String> TAR_GZIP_LAYERS = Set.of(
      "application/vnd.oci.image.layer.v1.tar+gzip",
      "application/vnd.docker.image.rootfs.diff.tar.gzip");
  public static final Set<String> TAR_LAYERS = Set.of(
      "application/vnd.oci.image.layer.v1.tar",
      "application/vnd.docker.image.rootfs.diff.tar");

  private MediaTypes() {}

  public static boolean isModuleLayer(String mediaType) {
    return RAW_MODULE_LAYERS.contains(mediaType) || TAR_GZIP_LAYERS.contains(mediaType) || TAR_LAYERS.contains(mediaType);
  }
}
