#!/bin/sh
# Fetch the background images used to train the plate detector (models/plates/synth.py)
# from two Debian packages into .cache/plates-bg/.  Nothing fetched here is committed.
# These are deliberately NOT the dev set's backgrounds (models/eval/backgrounds.tsv:
# lomiri-wallpapers-16.04, mate-backgrounds) nor the opencv-doc media.
# Licences per file are in backgrounds.tsv (CC-BY-SA-3.0 / GPL-2+).
# Uses the system's configured apt sources.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dest="$root/.cache/plates-bg"
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
