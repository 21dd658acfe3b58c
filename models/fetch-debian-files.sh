#!/bin/sh
# Extracts sha256-pinned files from Debian packages: fetch-debian-files.sh PINS.tsv DEST
# PINS.tsv rows (tab-separated, '#' comments): file, package, path in package, sha256, licence,
# author. The packages are fetched with apt-get download into DEST/debs and unpacked into
# DEST/root; any file whose sha256 differs from its pin stops the script (exit 1).
# Nothing fetched here is committed. Uses the system's configured apt sources.
set -eu
pins=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dest=$2
mkdir -p "$dest/debs" "$dest/root"
cd "$dest/debs"
for pkg in $(grep -v '^#' "$pins" | cut -f2 | sort -u); do
  ls "${pkg}"_*.deb >/dev/null 2>&1 || apt-get download "$pkg"
done
for deb in *.deb; do dpkg -x "$deb" "$dest/root"; done
grep -v '^#' "$pins" | while IFS="$(printf '\t')" read -r f pkg path sha lic who; do
  got=$(sha256sum "$dest/root/$path" | cut -c1-64)
  if [ "$got" != "$sha" ]; then echo "sha256 mismatch: $path" >&2; exit 1; fi
done
echo "files ready in $dest/root"
