#!/usr/bin/env bash
# Build the Linux packages from the PyInstaller one-folder bundle:
#   dist/campaign-studio_<version>_<arch>.deb       Debian 12 / Ubuntu 24.04 and newer
#   dist/campaign-studio-<version>-linux-<arch>.tar.gz   any other distribution (portable)
#   packaging/build_deb.sh               build the bundle, then the packages
#   packaging/build_deb.sh --no-bundle   reuse dist/campaign-studio (already built)
# The .deb puts the bundle in /usr/lib/campaign-studio (never /opt: a package owning /opt
# would remove it on purge), a /usr/bin/campaign-studio wrapper, a desktop entry, icons, a
# manual page made from the CLI's --help, a changelog and a copyright file. There is no
# maintainer script, so removing it never touches the user's data (~/.local/share/campaign-studio).
# DEB_COMPRESSION=gzip makes a quicker, larger .deb while trying things (default: xz).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
NAME=campaign-studio
BUNDLE=$ROOT/dist/$NAME
STAGE=$ROOT/build/deb/root
PREFIX=/usr/lib/$NAME
DOC=$STAGE/usr/share/doc/$NAME

build_bundle=1
[ "${1:-}" = "--no-bundle" ] && build_bundle=0

for tool in dpkg-deb objdump patchelf gzip; do
  command -v $tool >/dev/null || { echo "build_deb: $tool is needed (apt install dpkg-dev binutils patchelf gzip)" >&2; exit 2; }
done

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
# The date of the newest commit, so two builds of one commit give the same changelog and man page.
WHEN=$(git log -1 --format=%cd --date=format:'%Y-%m-%d' 2>/dev/null || date -u +%Y-%m-%d)
WHEN_RFC=$(git log -1 --format=%cD 2>/dev/null || date -uR)
# glibc: the newest symbol version any bundled binary asks for.
GLIBC=$(objdump -T $(find "$BUNDLE" -type f \( -name '*.so*' -o -name "$NAME" \)) 2>/dev/null \
        | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)

# What the bundle leaves to the system (see SYSTEM_LIBS in the spec): OpenGL/EGL, X11 and the
# xcb libraries of Qt's xcb platform plugin, keyboard maps, fontconfig/freetype, D-Bus, GLib,
# and fonts — without a font package every glyph is an empty box. Noto covers Latin, Cyrillic,
# Greek, Arabic, Hebrew and Devanagari (fonts-noto-core) and Chinese, Japanese and Korean
# (fonts-noto-cjk): contacts' names in any of those scripts are drawn, not boxes.
LIBS="libc6 (>= ${GLIBC:-2.36}), libgl1, libegl1, libx11-6, libx11-xcb1, libxcb1, \
libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, \
libxcb-render0, libxcb-render-util0, libxcb-shape0, libxcb-shm0, libxcb-sync1, \
libxcb-util1, libxcb-xfixes0, libxcb-xkb1, libxkbcommon0, libxkbcommon-x11-0, \
libfontconfig1, libfreetype6, libdbus-1-3, libglib2.0-0, fontconfig-config"
FONTS="fonts-dejavu-core, fonts-noto-core, fonts-noto-cjk"
DEPENDS="$LIBS, $FONTS"

# Every system library the bundle links must come from a package the .deb depends on.
python3 packaging/check_deb_depends.py "$BUNDLE" "$LIBS"

rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/usr/lib" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
         "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/icons/hicolor/256x256/apps" \
         "$STAGE/usr/share/man/man1" "$DOC" "$STAGE/usr/share/lintian/overrides"
cp -a "$BUNDLE" "$STAGE$PREFIX"

cat > "$STAGE/usr/bin/$NAME" <<WRAPPER
#!/bin/sh
# Campaign Studio: the program lives in $PREFIX (a self-contained bundle).
exec $PREFIX/$NAME "\$@"
WRAPPER
chmod 0755 "$STAGE/usr/bin/$NAME"

desktop_entry() {  # $1: what Exec runs
  cat <<DESKTOP
[Desktop Entry]
Type=Application
Name=Campaign Studio
GenericName=Marketing campaign designer
Comment=Draw marketing campaigns on a canvas and run them on your own computer
Exec=$1
Icon=$NAME
Terminal=false
Categories=Office;
Keywords=campaign;marketing;email;newsletter;automation;
StartupWMClass=$NAME
DESKTOP
}
desktop_entry "$NAME" > "$STAGE/usr/share/applications/$NAME.desktop"
cp resources/icons/app.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/$NAME.svg"
cp resources/icons/app.png "$STAGE/usr/share/icons/hicolor/256x256/apps/$NAME.png"

# The manual page: the CLI's own --help texts (packaging/make_manpage.py).
"$PYTHON" packaging/make_manpage.py "$ROOT/build/deb/$NAME.1" --version "$VERSION" --date "$WHEN"
gzip -9n -c "$ROOT/build/deb/$NAME.1" > "$STAGE/usr/share/man/man1/$NAME.1.gz"

# Debian changelog (a native package: changelog.gz) and a machine-readable copyright file
# naming every bundled Python distribution with the licence its metadata declares.
{
  echo "$NAME ($VERSION) stable; urgency=medium"
  echo
  echo "  * Release $VERSION: the one-folder bundle of Campaign Studio $VERSION"
  echo "    (commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))."
  echo
  echo " -- Campaign Studio team <team@campaign-studio.invalid>  $WHEN_RFC"
} | gzip -9n > "$DOC/changelog.gz"
"$PYTHON" - "$BUNDLE" "$WHEN" > "$DOC/copyright" <<'PY'
import email.parser
import sys
from pathlib import Path

bundle, when = Path(sys.argv[1]), sys.argv[2]
print("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/")
print("Upstream-Name: campaign-studio")
print("Comment: A self-contained bundle: CPython, Qt 6 and the Python libraries below are")
print(" copied into /usr/lib/campaign-studio. Each library's own licence text is in its")
print(" *.dist-info folder there.")
print()
print("Files: *")
print(f"Copyright: {when[:4]} Campaign Studio team")
print("License: proprietary")
print(" All rights reserved by the Campaign Studio team.")
seen = set()
for meta in sorted(bundle.rglob("*.dist-info/METADATA")):
    info = email.parser.Parser().parsestr(meta.read_text(errors="replace"), headersonly=True)
    name = info.get("Name") or meta.parent.name.split("-")[0]
    if name.lower() in seen:
        continue
    seen.add(name.lower())
    licence = (info.get("License-Expression") or "").strip()
    if not licence:
        text = (info.get("License") or "").strip().splitlines()
        licence = text[0][:60] if text and len(text[0]) < 60 else ""
    if not licence:
        classifiers = [c.split("::")[-1].strip() for c in info.get_all("Classifier") or []
                       if c.startswith("License ::")]
        licence = ", ".join(classifiers) or "see its dist-info folder"
    where = meta.parent.relative_to(bundle)
    print()
    print(f"Files: usr/lib/campaign-studio/{where}/*")
    print(f"Copyright: the {name} authors")
    print(f"License: {licence}")
    print(f" {name} {info.get('Version', '')}; the licence text is in /usr/lib/campaign-studio/{where}.")
print()
print("Files: usr/lib/campaign-studio/_internal/PySide6/*")
print("Copyright: The Qt Company Ltd. and other contributors")
print("License: LGPL-3.0-only")
print(" Qt 6 and PySide6; on Debian systems the LGPL-3 is in /usr/share/common-licenses/LGPL-3.")
print()
print("Files: usr/lib/campaign-studio/_internal/libpython* usr/lib/campaign-studio/_internal/python3*")
print("Copyright: Python Software Foundation")
print("License: PSF-2.0")
print(" The Python interpreter and its standard library.")
PY

# Tags that describe what a self-contained bundle is, with the reason each is accepted.
cat > "$STAGE/usr/share/lintian/overrides/$NAME" <<OVERRIDES
# Python, Qt and the Python libraries are copied in on purpose: the package must run the
# versions it was tested with, on Debian 12 and on newer releases alike.
$NAME: embedded-library *
# Wheels from PyPI: auditwheel-patched libraries are left unstripped (strip breaks them).
$NAME: unstripped-binary-or-object *
# CPython's extension modules take their C library symbols from the interpreter.
$NAME: library-not-linked-against-libc [usr/lib/$NAME/_internal/python3.11/lib-dynload/*]
$NAME: shared-library-lacks-prerequisites *
# tqdm's shell completion script, unused: the program has no tqdm command.
$NAME: script-not-executable [usr/lib/$NAME/_internal/tqdm/completion.sh]
OVERRIDES

INSTALLED_KB=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: $NAME
Version: $VERSION
Architecture: $ARCH
Maintainer: Campaign Studio team <team@campaign-studio.invalid>
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Suggests: gnome-keyring
Section: utils
Priority: optional
Homepage: https://campaign-studio.invalid/
Description: design and run marketing campaigns offline
 Campaign Studio draws marketing campaigns (emails, waits, decisions, goals) as
 diagrams on a canvas and runs them locally against a SQLite file or a
 PostgreSQL server. Self-contained: no Python or internet connection needed.
 The SMTP password is kept in the desktop's keyring (Secret Service, e.g.
 gnome-keyring or KWallet).
CONTROL

chmod -R u+rwX,go+rX,go-w "$STAGE"
# Only the two programs are executable; libraries and data are 0644 (Debian policy).
find "$STAGE" -type f ! -path "$STAGE/DEBIAN/*" ! -path "$STAGE/usr/bin/$NAME" \
     ! -path "$STAGE$PREFIX/$NAME" -perm /111 -exec chmod a-x {} +
(cd "$STAGE" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) \
  > "$STAGE/DEBIAN/md5sums"
chmod 0644 "$STAGE/DEBIAN/md5sums" "$STAGE/DEBIAN/control"

OUT=$ROOT/dist/${NAME}_${VERSION}_${ARCH}.deb
start=$(date +%s)
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-xz}" --build "$STAGE" "$OUT" >/dev/null
echo "build_deb: $OUT ($(du -h "$OUT" | cut -f1), ${DEB_COMPRESSION:-xz} in $(( $(date +%s) - start )) s)"
echo "build_deb: bundle $(du -sh "$BUNDLE" | cut -f1), installed size ${INSTALLED_KB} KiB"

# --- the portable tarball --------------------------------------------------------------------
TAR_DIR=$ROOT/build/tarball/$NAME-$VERSION
rm -rf "$ROOT/build/tarball" && mkdir -p "$TAR_DIR"
cp -a "$BUNDLE"/. "$TAR_DIR"/
mkdir -p "$TAR_DIR/share"
cp resources/icons/app.svg "$TAR_DIR/share/$NAME.svg"
cp resources/icons/app.png "$TAR_DIR/share/$NAME.png"
cp "$ROOT/build/deb/$NAME.1" "$TAR_DIR/share/$NAME.1"
cp packaging/install-menu-entry.sh "$TAR_DIR/install-menu-entry.sh"
chmod 0755 "$TAR_DIR/install-menu-entry.sh"
cat > "$TAR_DIR/README.txt" <<README
Campaign Studio $VERSION for Linux (x86-64, glibc ${GLIBC:-2.36} or newer), portable.

Start it where it is:      ./$NAME              (the command line: ./$NAME --help)
Add it to the menu:        ./install-menu-entry.sh          (for you only, no root)
Remove the menu entry:     ./install-menu-entry.sh --remove
Uninstall: remove the menu entry, then this folder. Your data stays in
~/.local/share/campaign-studio/.

It needs the X11/xcb, OpenGL, fontconfig and D-Bus libraries every desktop has, and fonts;
the SMTP password goes to the desktop's keyring (Secret Service: GNOME Keyring, KWallet).
README
TARBALL=$ROOT/dist/$NAME-$VERSION-linux-$(uname -m).tar.gz
start=$(date +%s)
tar -C "$ROOT/build/tarball" --owner=0 --group=0 --sort=name -czf "$TARBALL" "$NAME-$VERSION"
echo "build_deb: $TARBALL ($(du -h "$TARBALL" | cut -f1), gzip in $(( $(date +%s) - start )) s)"
