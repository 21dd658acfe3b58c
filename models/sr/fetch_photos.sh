#!/usr/bin/env bash
# Fetch the licensed photos used to train/evaluate the x2 SR models.
#
# Photos come from Debian packages (downloaded with `apt-get download`, never installed):
#   lomiri-wallpapers-16.04   CC-BY / CC-BY-SA / CC0 (see the package's debian/copyright)
#   lomiri-wallpapers-20.04   CC-BY-SA
#   mate-backgrounds          nature/*  GPL-2+
#   plasma-workspace-wallpapers  each folder holds one photo at several resolutions;
#                             we take the largest file of each folder (one photo per folder)
#
# Usage: models/sr/fetch_photos.sh [DEST]   (default DEST=/tmp/sr_photos)
# Result: DEST/photos/<name>.<ext> plus DEST/photos.list, and a check against
#         models/sr/photos.sha256 (if present) or (with --write-manifest) a new manifest.
# The fixed train/test split lives in models/sr/split.txt.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DEST="${1:-/tmp/sr_photos}"
WRITE=0
[[ "${2:-}" == "--write-manifest" ]] && WRITE=1
mkdir -p "$DEST/debs" "$DEST/x" "$DEST/photos"
cd "$DEST/debs"
PKGS="lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 mate-backgrounds plasma-workspace-wallpapers"
for p in $PKGS; do
  ls ${p}_*.deb >/dev/null 2>&1 || apt-get download "$p"
done
for d in *.deb; do
  n="${d%%_*}"
  [[ -d "$DEST/x/$n" ]] || dpkg -x "$d" "$DEST/x/$n"
done
out="$DEST/photos"
# lomiri 16.04 / 20.04: all jpg/png photos under usr/share/backgrounds (skip the default warty/abstract ones)
for n in lomiri-wallpapers-16.04 lomiri-wallpapers-20.04; do
  find "$DEST/x/$n" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | sort | while read -r f; do
    b="$(basename "$f")"; cp -f "$f" "$out/${n#lomiri-wallpapers-}_${b// /_}"
  done
done
# mate-backgrounds nature/*
find "$DEST/x/mate-backgrounds" -path '*nature*' -type f \( -iname '*.jpg' -o -iname '*.png' \) | sort | while read -r f; do
  b="$(basename "$f")"; cp -f "$f" "$out/mate_${b// /_}"
done
# plasma: one (largest) image per wallpaper folder
for dir in "$DEST"/x/plasma-workspace-wallpapers/usr/share/wallpapers/*/; do
  f="$(find "$dir" -type f \( -iname '*.jpg' -o -iname '*.png' \) -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)"
  [[ -n "$f" ]] || continue
  name="$(basename "$dir")"; ext="${f##*.}"
  cp -f "$f" "$out/plasma_${name// /_}.${ext}"
done
cd "$out"
ls -1 | sort > "$DEST/photos.list"
echo "photos: $(wc -l < "$DEST/photos.list") in $out"
if [[ $WRITE == 1 ]]; then
  sha256sum $(cat "$HERE/split.txt" 2>/dev/null | awk '!/^#/ && NF==2 {print $2}' || cat "$DEST/photos.list") > "$HERE/photos.sha256"
  echo "wrote $HERE/photos.sha256"
elif [[ -f "$HERE/photos.sha256" ]]; then
  sha256sum -c --quiet "$HERE/photos.sha256" && echo "sha256 OK"
fi
