#!/usr/bin/env bash
# make-oci.sh DIST_WASM OUT_DIR TAG FORM
# Writes an OCI image layout (oci-layout, index.json, blobs/sha256/*) holding one module:
#   FORM=image    config application/vnd.oci.image.config.v1+json (architecture wasm,
#                 os wasip1) + one tar+gzip layer whose tar holds exactly /<name>.wasm
#                 (reproducible: mtime 0, uid/gid 0, sorted, gzip -n)
#   FORM=artifact config application/vnd.wasm.config.v0+json + one application/wasm layer
#                 whose blob is the raw module
# The manifest entry in index.json is annotated org.opencontainers.image.ref.name=TAG.
# Needs only coreutils, tar, gzip, jq.
set -euo pipefail

if [ $# -ne 4 ]; then
  echo "usage: $0 DIST_WASM OUT_DIR TAG image|artifact" >&2
  exit 2
fi
wasm=$1 out=$2 tag=$3 form=$4
[ -f "$wasm" ] || { echo "$0: no such module: $wasm" >&2; exit 1; }
case "$form" in image|artifact) ;; *) echo "$0: FORM must be image or artifact" >&2; exit 2 ;; esac
name=$(basename "$wasm" .wasm)

mkdir -p "$out/blobs/sha256"
blobs=$out/blobs/sha256
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# put FILE -> stores FILE as a blob, prints its "sha256:<hex>" digest
put() {
  local hex
  hex=$(sha256sum "$1" | cut -d' ' -f1)
  cp "$1" "$blobs/$hex"
  echo "sha256:$hex"
}
size() { stat -c %s "$1"; }

if [ "$form" = image ]; then
  mkdir "$tmp/root"
  cp "$wasm" "$tmp/root/$name.wasm"
  chmod 0644 "$tmp/root/$name.wasm"
  tar --format=ustar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
      -C "$tmp/root" -cf "$tmp/layer.tar" "$name.wasm"
  gzip -n -9 -c "$tmp/layer.tar" > "$tmp/layer.tar.gz"
  diff_id="sha256:$(sha256sum "$tmp/layer.tar" | cut -d' ' -f1)"
  layer_type=application/vnd.oci.image.layer.v1.tar+gzip
  layer_file=$tmp/layer.tar.gz
  config_type=application/vnd.oci.image.config.v1+json
  jq -cn --arg diff "$diff_id" --arg entry "/$name.wasm" \
    '{architecture: "wasm", os: "wasip1", config: {Entrypoint: [$entry]},
      rootfs: {type: "layers", diff_ids: [$diff]}}' > "$tmp/config.json"
else
  layer_type=application/wasm
  layer_file=$wasm
  config_type=application/vnd.wasm.config.v0+json
  layer_hex=$(sha256sum "$wasm" | cut -d' ' -f1)
  jq -cn --arg d "sha256:$layer_hex" \
    '{architecture: "wasm", os: "wasip1", layerDigests: [$d]}' > "$tmp/config.json"
fi

layer_digest=$(put "$layer_file")
config_digest=$(put "$tmp/config.json")

jq -cn \
  --arg ct "$config_type" --arg cd "$config_digest" --argjson cs "$(size "$tmp/config.json")" \
  --arg lt "$layer_type" --arg ld "$layer_digest" --argjson ls "$(size "$layer_file")" \
  --arg title "$name.wasm" \
  '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {mediaType: $ct, digest: $cd, size: $cs},
    layers: [{mediaType: $lt, digest: $ld, size: $ls,
              annotations: {"org.opencontainers.image.title": $title}}]}' > "$tmp/manifest.json"
manifest_digest=$(put "$tmp/manifest.json")

printf '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
jq -cn --arg d "$manifest_digest" --argjson s "$(size "$tmp/manifest.json")" --arg tag "$tag" \
  '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
                 annotations: {"org.opencontainers.image.ref.name": $tag}}]}' > "$out/index.json"
echo "$out: $form $name.wasm -> $manifest_digest (tag $tag)"
