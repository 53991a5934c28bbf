#!/bin/sh
# Campaign Studio, portable folder: add (or with --remove, take away) the applications-menu
# entry and the icon for the current user. Needs no root; touches only
#   ~/.local/share/applications/campaign-studio.desktop
#   ~/.local/share/icons/hicolor/{scalable,256x256}/apps/campaign-studio.{svg,png}
# Run it again after moving the folder (the entry points at the folder's current place).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
NAME=campaign-studio
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
ENTRY=$DATA/applications/$NAME.desktop
SVG=$DATA/icons/hicolor/scalable/apps/$NAME.svg
PNG=$DATA/icons/hicolor/256x256/apps/$NAME.png

refresh() {
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$DATA/applications" || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
}

case "${1:-}" in
  --remove)
    rm -f "$ENTRY" "$SVG" "$PNG"
    refresh
    echo "Removed the Campaign Studio menu entry. Delete $HERE to uninstall; your data stays in $DATA/$NAME/."
    exit 0 ;;
  "") ;;
  *)
    echo "usage: $0 [--remove]" >&2
    exit 2 ;;
esac

[ -x "$HERE/$NAME" ] || { echo "$0: $HERE/$NAME is missing: run this script from the unpacked folder" >&2; exit 2; }
case "$HERE" in
  *[[:space:]\"\'\\\$\`]*)
    echo "$0: the folder name must not contain spaces or quotes ($HERE): move it, then run again" >&2
    exit 2 ;;
esac
mkdir -p "$(dirname "$ENTRY")" "$(dirname "$SVG")" "$(dirname "$PNG")"
cp "$HERE/share/$NAME.svg" "$SVG"
cp "$HERE/share/$NAME.png" "$PNG"
cat > "$ENTRY.tmp" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Campaign Studio
GenericName=Marketing campaign designer
Comment=Draw marketing campaigns on a canvas and run them on your own computer
Exec=$HERE/$NAME
TryExec=$HERE/$NAME
Icon=$NAME
Terminal=false
Categories=Office;
Keywords=campaign;marketing;email;newsletter;automation;
StartupWMClass=$NAME
DESKTOP
mv "$ENTRY.tmp" "$ENTRY"
refresh
echo "Campaign Studio is in your applications menu (entry: $ENTRY)."
