#!/usr/bin/env bash
# Fetches the test and demo media listed in tests/media/manifest.tsv from Debian packages
# (`apt-get download`, no root needed once the package lists exist) and checks each sha256 pin.
# Usage: tests/media/fetch-media.sh [DEST_DIR]   (default: .cache/media under the repository)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="${1:-$root/.cache/media}"
manifest="$root/tests/media/manifest.tsv"
mkdir -p "$dest"

verified() { [[ -f "$1" ]] && echo "$2  $1" | sha256sum --check --status; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
while IFS=$'\t' read -r file pkg path sha _rest; do
  [[ -z "$file" || "$file" == \#* ]] && continue
  if verified "$dest/$file" "$sha"; then echo "ok       $file (cached)"; continue; fi
  if [[ ! -d "$work/$pkg" ]]; then
    if ! (cd "$work" && apt-get download "$pkg" >/dev/null 2>&1); then
      # A fresh machine may have no package lists yet.
      if [[ $(id -u) -eq 0 ]]; then apt-get update -qq >/dev/null; fi
      (cd "$work" && apt-get download "$pkg" >/dev/null)
    fi
    dpkg -x "$work/${pkg}"_*.deb "$work/$pkg"
  fi
  cp "$work/$pkg/$path" "$dest/$file.part"
  if verified "$dest/$file.part" "$sha"; then
    mv "$dest/$file.part" "$dest/$file"; echo "fetched  $file <- $pkg"
  else
    echo "MISMATCH $file from $pkg: expected sha256 $sha" >&2; rm -f "$dest/$file.part"; status=65
  fi
done < "$manifest"
exit $status
