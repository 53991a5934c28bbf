#!/usr/bin/env bash
# Build the Debian package: the PyInstaller one-folder bundle under /opt/campaign-studio, a
# /usr/bin/campaign-studio wrapper, a desktop entry and an icon. Output: dist/*.deb.
#   packaging/build_deb.sh               build the bundle, then the .deb
#   packaging/build_deb.sh --no-bundle   reuse dist/campaign-studio (already built)
# Uninstalling (dpkg -r / -P) removes only /opt/campaign-studio and the files above: there is
# no maintainer script, so the user's data (~/.local/share/campaign-studio) is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
NAME=campaign-studio
BUNDLE=$ROOT/dist/$NAME
STAGE=$ROOT/build/deb/root

build_bundle=1
[ "${1:-}" = "--no-bundle" ] && build_bundle=0

if [ $build_bundle = 1 ]; then
  echo "build_deb: PyInstaller bundle (a few minutes on 2 cores)..."
  start=$(date +%s)
  "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
      --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" packaging/campaign_studio.spec
  echo "build_deb: bundle built in $(( $(date +%s) - start )) s"
fi
[ -x "$BUNDLE/$NAME" ] || { echo "build_deb: no bundle at $BUNDLE (run without --no-bundle)" >&2; exit 2; }

VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=$(dpkg --print-architecture)
# glibc: the newest symbol version any bundled binary asks for.
GLIBC=$(objdump -T $(find "$BUNDLE" -type f \( -name '*.so*' -o -name "$NAME" \)) 2>/dev/null \
        | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)

# What the bundle leaves to the system (see SYSTEM_LIBS in the spec): OpenGL/EGL, X11 and the
# xcb libraries of Qt's xcb platform plugin, keyboard maps, fontconfig/freetype, D-Bus, GLib,
# and fonts — without a font package every glyph is an empty box.
DEPENDS="libc6 (>= ${GLIBC:-2.36}), libgl1, libegl1, libx11-6, libx11-xcb1, libxcb1, \
libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, \
libxcb-render0, libxcb-render-util0, libxcb-shape0, libxcb-shm0, libxcb-sync1, \
libxcb-util1, libxcb-xfixes0, libxcb-xkb1, libxkbcommon0, libxkbcommon-x11-0, \
libfontconfig1, libfreetype6, libdbus-1-3, libglib2.0-0, fontconfig-config, fonts-dejavu-core"

# Every system library the bundle links must come from a package the .deb depends on.
python3 packaging/check_deb_depends.py "$BUNDLE" "$DEPENDS"

rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
         "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/icons/hicolor/256x256/apps" \
         "$STAGE/usr/share/doc/$NAME"
cp -a "$BUNDLE" "$STAGE/opt/$NAME"

cat > "$STAGE/usr/bin/$NAME" <<'WRAPPER'
#!/bin/sh
# Campaign Studio: the program lives in /opt/campaign-studio (a self-contained bundle).
exec /opt/campaign-studio/campaign-studio "$@"
WRAPPER
chmod 0755 "$STAGE/usr/bin/$NAME"

cat > "$STAGE/usr/share/applications/$NAME.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Campaign Studio
GenericName=Marketing campaign designer
Comment=Draw marketing campaigns on a canvas and run them on your own computer
Exec=$NAME
Icon=$NAME
Terminal=false
Categories=Office;
Keywords=campaign;marketing;email;newsletter;automation;
StartupWMClass=$NAME
DESKTOP

cp resources/icons/app.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/$NAME.svg"
cp resources/icons/app.png "$STAGE/usr/share/icons/hicolor/256x256/apps/$NAME.png"
cat > "$STAGE/usr/share/doc/$NAME/copyright" <<'COPYRIGHT'
Campaign Studio. Bundles CPython (PSF licence), Qt 6 and PySide6 (LGPLv3), SQLAlchemy,
Alembic, Jinja2, APScheduler, NumPy, pyqtgraph, networkx and other libraries under their own
licences; see the *.dist-info folders inside /opt/campaign-studio/_internal.
COPYRIGHT

INSTALLED_KB=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: $NAME
Version: $VERSION
Architecture: $ARCH
Maintainer: Campaign Studio team <team@campaign-studio.invalid>
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Section: utils
Priority: optional
Description: design and run marketing campaigns offline
 Campaign Studio draws marketing campaigns (emails, waits, decisions, goals) as
 diagrams on a canvas and runs them locally against a SQLite file or a
 PostgreSQL server. Self-contained: no Python or internet connection needed.
CONTROL

chmod -R u+rwX,go+rX,go-w "$STAGE"
OUT=$ROOT/dist/${NAME}_${VERSION}_${ARCH}.deb
start=$(date +%s)
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$OUT" >/dev/null
echo "build_deb: $OUT ($(du -h "$OUT" | cut -f1), xz in $(( $(date +%s) - start )) s)"
echo "build_deb: bundle $(du -sh "$BUNDLE" | cut -f1), installed size ${INSTALLED_KB} KiB"
