#!/bin/sh
# Fetch the background photographs used by build_devset.py from Debian packages
# (CC-BY / CC-BY-SA / CC0 / GPL-2+, see backgrounds.tsv) into .cache/devset-bg/.
# Nothing fetched here is committed.  Uses the system's configured apt sources.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dest="$root/.cache/devset-bg"
mkdir -p "$dest/debs" "$dest/root"
cd "$dest/debs"
for pkg in $(grep -v '^#' "$here/backgrounds.tsv" | cut -f2 | sort -u); do
  ls "${pkg}"_*.deb >/dev/null 2>&1 || apt-get download "$pkg"
done
for deb in *.deb; do dpkg -x "$deb" "$dest/root"; done
# verify pins
grep -v '^#' "$here/backgrounds.tsv" | while IFS="$(printf '\t')" read -r f pkg path sha lic who; do
  got=$(sha256sum "$dest/root/$path" | cut -c1-64)
  if [ "$got" != "$sha" ]; then echo "sha256 mismatch: $path" >&2; exit 1; fi
done
echo "backgrounds ready in $dest/root"
