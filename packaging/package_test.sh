#!/usr/bin/env bash
# The package test on a clean machine: a minimal Debian 12 root (debootstrap --variant=minbase,
# Debian's own packages), the .deb installed with apt as a user would, then the program driven
# there as an ordinary user: the command line, the window under Xvfb with every screen opened
# (app/tour.py: editor, node detail and dashboard with their charts, contacts, a contact,
# segments, templates, settings, import, simulate), the SMTP password saved through Settings
# into gnome-keyring on a D-Bus session and read back after restarting the program, the
# keyring daemon and the session; removal and purge keeping the user's data; then the
# portable tarball unpacked, its menu entry added and the program started from it.
#
#   packaging/package_test.sh               build (make package), then test  (make package-test)
#   packaging/package_test.sh --no-build    test dist/*.deb and dist/*.tar.gz as they are
#
# Needs root (debootstrap, chroot, mounts) and Debian's mirror. Nothing is installed on this
# machine except debootstrap; the clean root lives in $CLEAN_ROOT_CACHE (default
# /var/tmp/campaign-studio-package-test): base.tar (the debootstrap result, ~1 min to make)
# and apt-archives/ (downloaded packages) are kept between runs, the root itself is unpacked
# fresh from base.tar each time. Screenshots: dist/package-test/. Minutes: not in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
NAME=campaign-studio
CACHE=${CLEAN_ROOT_CACHE:-/var/tmp/campaign-studio-package-test}
ROOTFS=$CACHE/root
SHOTS=$REPO/dist/package-test
SUITE=bookworm
PASSWORD="S3cret-$RANDOM-pässwörd"
LOGIN_KEYRING_PASSWORD="login-$RANDOM"
t0=$(date +%s)
failures=0
pass() { echo "package-test: ok   $*"; }
fail() { echo "package-test: FAIL $*"; failures=$((failures + 1)); }
note() { echo "package-test: $*"; }

[ "$(id -u)" = 0 ] || { echo "package-test: needs root (debootstrap, chroot, mounts): sudo $0 $*" >&2; exit 2; }

if [ "${1:-}" != "--no-build" ]; then
  b0=$(date +%s)
  packaging/build_deb.sh
  build_seconds=$(( $(date +%s) - b0 ))
fi
DEB=$(ls -t dist/${NAME}_*.deb 2>/dev/null | head -1 || true)
TARBALL=$(ls -t dist/${NAME}-*-linux-*.tar.gz 2>/dev/null | head -1 || true)
[ -n "$DEB" ] || { echo "package-test: no dist/${NAME}_*.deb (run make package)" >&2; exit 2; }

# --- the package file itself -----------------------------------------------------------------
# Listed once into variables: `grep -q` on a live pipe would end dpkg-deb early (SIGPIPE), and
# with pipefail a found line would count as not found.
CONTROL_FILES=$(dpkg-deb --ctrl-tarfile "$DEB" | tar -t)
CONTENTS=$(dpkg-deb -c "$DEB" | awk '{print $6}')
if grep -qE '(postrm|prerm)$' <<< "$CONTROL_FILES"; then
  fail "the package has a removal script (it must leave users' data alone)"
else
  pass "no prerm/postrm script"
fi
if grep -q '^\./opt/' <<< "$CONTENTS"; then
  fail "the package ships ./opt/ (purging it would remove /opt)"
else
  pass "nothing under /opt"
fi
grep -qx "./md5sums" <<< "$CONTROL_FILES" && pass "has md5sums" || fail "no md5sums"
for f in ./usr/share/doc/$NAME/changelog.gz ./usr/share/doc/$NAME/copyright ./usr/share/man/man1/$NAME.1.gz; do
  grep -qx "$f" <<< "$CONTENTS" && pass "ships ${f#./}" || fail "missing $f"
done
# Every file of resources/ (icons, samples, translations) must be in the package: a stale or
# partial build fails here.
want=$(cd resources && find . -type f ! -path '*/__pycache__/*' | sed 's|^\./||' | sort)
have=$(echo "$CONTENTS" | sed -n "s|^\./usr/lib/$NAME/_internal/resources/||p" | grep -v '/$' | sort)
missing=$(comm -23 <(echo "$want") <(echo "$have"))
[ -z "$missing" ] && pass "every file of resources/ is in the package ($(echo "$want" | wc -l) files, $(echo "$want" | grep -c '\.qm$' || true) .qm)" \
  || fail "resources/ files not in the package (stale build?): $(echo "$missing" | head -5 | tr '\n' ' ')"
if command -v lintian >/dev/null; then
  l0=$(date +%s)
  lintian --tag-display-limit 0 "$DEB" > "$CACHE.lintian.txt" 2>&1 || true
  errors=$(grep -c '^E:' "$CACHE.lintian.txt" || true)
  warnings=$(grep -c '^W:' "$CACHE.lintian.txt" || true)
  [ "$errors" = 0 ] && pass "lintian: 0 errors, $warnings warning(s) ($(( $(date +%s) - l0 )) s)" \
    || fail "lintian: $errors error(s): $(grep '^E:' "$CACHE.lintian.txt" | head -3)"
else
  note "(lintian not installed here: apt install lintian)"
fi

# --- a clean Debian root ---------------------------------------------------------------------
mirror() {  # the Debian mirror this machine uses
  local found
  found=$(grep -rhoE '(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
          | grep -oE 'https?://[^ ]+' | head -1)
  echo "${found:-http://deb.debian.org/debian}"
}
MIRROR=$(mirror)
mkdir -p "$CACHE/apt-archives/partial"
if [ ! -s "$CACHE/base.tar" ]; then
  command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
  note "debootstrap --variant=minbase $SUITE from $MIRROR (once; cached in $CACHE/base.tar)..."
  d0=$(date +%s)
  rm -rf "$CACHE/base"
  debootstrap --variant=minbase --cache-dir="$CACHE/apt-archives" "$SUITE" "$CACHE/base" "$MIRROR" > "$CACHE/debootstrap.log"
  cat > "$CACHE/base/etc/apt/sources.list" <<SOURCES
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb ${MIRROR%/debian}/debian-security $SUITE-security main
SOURCES
  tar -C "$CACHE/base" -cf "$CACHE/base.tar" . && rm -rf "$CACHE/base"
  note "clean root made in $(( $(date +%s) - d0 )) s"
fi

mounted=()
pids_file=$CACHE/pids
cleanup() {
  if [ -d "$ROOTFS/proc/1" ]; then
    # only processes whose root is the clean root (the test's Xvfb, daemons)
    for p in /proc/[0-9]*; do
      [ "$(readlink "$p/root" 2>/dev/null)" = "$ROOTFS" ] && kill -9 "${p#/proc/}" 2>/dev/null || true
    done
  fi
  for ((i=${#mounted[@]}-1; i>=0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
rm -rf "$ROOTFS" && mkdir -p "$ROOTFS"
tar -C "$ROOTFS" -xf "$CACHE/base.tar"
for m in proc dev dev/pts dev/shm var/cache/apt/archives; do mkdir -p "$ROOTFS/$m"; done
mount -t proc proc "$ROOTFS/proc" && mounted+=("$ROOTFS/proc")
mount --bind /dev "$ROOTFS/dev" && mounted+=("$ROOTFS/dev")
mount -t devpts devpts "$ROOTFS/dev/pts" -o newinstance,ptmxmode=0666 && mounted+=("$ROOTFS/dev/pts") || true
mount -t tmpfs shm "$ROOTFS/dev/shm" && mounted+=("$ROOTFS/dev/shm")
mount --bind "$CACHE/apt-archives" "$ROOTFS/var/cache/apt/archives" && mounted+=("$ROOTFS/var/cache/apt/archives")
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
in_root() { chroot "$ROOTFS" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }
# The user: an ordinary account with its own HOME, as on a desktop.
in_root useradd -m -s /bin/bash -u 1500 marketer
as_user() {
  chroot --userspec=1500:1500 "$ROOTFS" env -i PATH=/usr/bin:/bin HOME=/home/marketer USER=marketer \
    LANG=C.UTF-8 XDG_RUNTIME_DIR=/tmp/runtime-marketer "$@"
}
mkdir -p "$ROOTFS/tmp/runtime-marketer" && chown 1500:1500 "$ROOTFS/tmp/runtime-marketer" && chmod 700 "$ROOTFS/tmp/runtime-marketer"
in_root dpkg-query -W -f='${Package}\n' | sort > "$CACHE/base-packages.txt"
base_packages=$(wc -l < "$CACHE/base-packages.txt")
root_size() { du -sxh --exclude="$ROOTFS/var/cache/apt/archives" "$ROOTFS" 2>/dev/null | cut -f1; }
note "clean root: Debian $(cat "$ROOTFS/etc/debian_version"), $base_packages packages ($(root_size))"

# --- install with apt, as a user would ------------------------------------------------------
cp "$DEB" "$ROOTFS/tmp/"
a0=$(date +%s)
in_root apt-get update -qq
if in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$DEB")" > "$CACHE/apt-install.log" 2>&1; then
  pulled=$(( $(in_root dpkg-query -W -f='.\n' | wc -l) - base_packages ))
  pass "apt install ./$(basename "$DEB"): $pulled packages in $(( $(date +%s) - a0 )) s (download cached in $CACHE/apt-archives)"
else
  fail "apt install: $(tail -5 "$CACHE/apt-install.log")"; exit 1
fi
note "root after install: $(root_size)"
# Where the room goes: the installed size of what apt pulled, the biggest first.
in_root dpkg-query -W -f='${Installed-Size}\t${Package}\n' \
  | awk -F'\t' 'NR == FNR { base[$1]; next } !($2 in base)' "$CACHE/base-packages.txt" - > "$CACHE/installed.txt"
fonts_kb=$(awk '$2 ~ /^fonts-/ {s += $1} END {print s + 0}' "$CACHE/installed.txt")
note "apt added $(( $(awk '{s+=$1} END {print s+0}' "$CACHE/installed.txt") / 1024 )) MB; biggest: $(sort -rn "$CACHE/installed.txt" | head -6 | awk '{printf "%s %d MB, ", $2, $1/1024}')fonts-* together $(( fonts_kb / 1024 )) MB"
for f in /usr/bin/$NAME /usr/lib/$NAME/$NAME /usr/share/applications/$NAME.desktop \
         /usr/share/icons/hicolor/scalable/apps/$NAME.svg /usr/share/man/man1/$NAME.1.gz; do
  [ -e "$ROOTFS$f" ] && pass "installed $f" || fail "missing $f"
done
in_root dpkg --verify "$NAME" && pass "dpkg --verify (md5sums match)" || fail "dpkg --verify"

# --- the command line, as the user -----------------------------------------------------------
U=/home/marketer
version=$(as_user $NAME --version 2>&1) && pass "--version: $version" || fail "--version: $version"
SAMPLE=$(cd "$ROOTFS" && find usr/lib/$NAME -name welcome_series.campaign.json | head -1)
out=$(as_user $NAME validate "/$SAMPLE" 2>&1) && pass "validate /$SAMPLE" || fail "validate: $out"
printf '{"nodes": [' > "$ROOTFS/tmp/bad.json"
if out=$(as_user $NAME validate /tmp/bad.json 2>&1); then fail "validate accepted a broken file"
elif echo "$out" | grep -q Traceback; then fail "validate of a broken file printed a traceback"
else pass "validate rejects a broken file: $(echo "$out" | head -1)"; fi
d0=$(date +%s)
out=$(as_user $NAME demo --db $U/demo.db 2>&1) && pass "demo workspace ($(( $(date +%s) - d0 )) s)" \
  || fail "demo --db: $(echo "$out" | tail -3)"
out=$(as_user $NAME run --db $U/demo.db --once --outbox $U/outbox 2>&1) && pass "run --once" \
  || fail "run --once: $(echo "$out" | tail -3)"
if as_user $NAME simulate "/$SAMPLE" --db $U/demo.db --days 3 --json > "$ROOTFS/tmp/sim.json" 2>"$ROOTFS/tmp/sim.err" \
   && grep -q '"nodes"' "$ROOTFS/tmp/sim.json"; then pass "simulate --json"
else fail "simulate: $(tail -3 "$ROOTFS/tmp/sim.err")"; fi
out=$(as_user $NAME stats --db $U/demo.db 1 2>&1) && pass "stats 1" || fail "stats: $(echo "$out" | tail -2)"

# The window offscreen, before any test tool is installed: the .deb's Depends alone suffice.
w0=$(date +%s%N)
# chroot execs env, env execs the program: $! is the program itself (not a subshell).
chroot --userspec=1500:1500 "$ROOTFS" env -i PATH=/usr/bin:/bin HOME=$U USER=marketer LANG=C.UTF-8 \
  XDG_RUNTIME_DIR=/tmp/runtime-marketer QT_QPA_PLATFORM=offscreen $NAME > "$ROOTFS/tmp/window-offscreen.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do [ -s "$ROOTFS$U/.local/share/$NAME/$NAME.db" ] && break; sleep 0.1; done
sleep 4
if kill -0 "$pid" 2>/dev/null; then
  pass "window alive after 4 s offscreen (first start: database there after $(( ($(date +%s%N) - w0) / 1000000 - 4000 )) ms)"
  kill -TERM "$pid"; code=0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  wait "$pid" || code=$?
  [ "$code" = 0 ] && pass "window exited with 0 on SIGTERM" || fail "exit $code on SIGTERM"
else
  fail "window died offscreen: $(tail -5 "$ROOTFS/tmp/window-offscreen.log")"
fi
grep -q Traceback "$ROOTFS/tmp/window-offscreen.log" && fail "traceback: $(grep -A3 Traceback "$ROOTFS/tmp/window-offscreen.log" | tail -2)"
[ -s "$ROOTFS$U/.local/share/$NAME/$NAME.db" ] && pass "first start created ~/.local/share/$NAME/$NAME.db" \
  || fail "no database in ~/.local/share/$NAME"

# --- the test's own tools: X server, D-Bus session, gnome-keyring, secret-tool ---------------
t1=$(date +%s)
in_root apt-get install -y -qq --no-install-recommends xvfb xauth xdotool dbus dbus-x11 gnome-keyring \
  libsecret-tools desktop-file-utils fontconfig > "$CACHE/apt-tools.log" 2>&1 \
  && pass "test tools installed ($(( $(date +%s) - t1 )) s)" || { fail "test tools: $(tail -3 "$CACHE/apt-tools.log")"; exit 1; }
# Issue 17: the fonts the .deb depends on draw every script a contact's name may use.
for script in Latin:en Cyrillic:ru Greek:el Arabic:ar Hebrew:he Devanagari:hi Chinese:zh-cn Japanese:ja Korean:ko; do
  n=$(in_root fc-list ":lang=${script#*:}" family | wc -l)
  [ "$n" -gt 0 ] && pass "fonts for ${script%%:*}: $n" || fail "no font for ${script%%:*}"
done
in_root desktop-file-validate /usr/share/applications/$NAME.desktop && pass "desktop entry valid" || fail "desktop-file-validate"

rm -rf "$SHOTS" && mkdir -p "$SHOTS"
# One desktop session: Xvfb, a D-Bus session bus, gnome-keyring unlocked with the login
# password (as a display manager's PAM module does), then $@ with DISPLAY and the bus set.
cat > "$ROOTFS/usr/local/bin/desktop-session" <<'SESSION'
#!/bin/sh
# usage: desktop-session LOGIN_PASSWORD COMMAND...
set -e
password=$1; shift
Xvfb :7 -screen 0 1440x900x24 -nolisten tcp >/tmp/xvfb-$$.log 2>&1 &
xvfb=$!
for i in $(seq 1 50); do [ -e /tmp/.X11-unix/X7 ] && break; sleep 0.1; done
export DISPLAY=:7
exec dbus-run-session -- sh -c '
  eval "$(printf %s "$1" | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  shift
  "$@"; code=$?
  exit $code' session "$password" "$@"; 
SESSION
chmod 0755 "$ROOTFS/usr/local/bin/desktop-session"
session() { as_user /usr/local/bin/desktop-session "$LOGIN_KEYRING_PASSWORD" "$@"; }
stop_x() {  # end the session's leftovers: X server, keyring daemon, bus (only inside the root)
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$ROOTFS" ] || continue
    case "$(cat "$p/comm" 2>/dev/null)" in Xvfb|gnome-keyring-d|dbus-daemon) kill "${p#/proc/}" 2>/dev/null;; esac
  done
  sleep 0.5; true
}

# First start under X: the demo offer, then the window on the real xcb plugin.
first_start() {
  cat > "$ROOTFS/tmp/first-start.sh" <<'FIRST'
#!/bin/sh
campaign-studio --db "$HOME/fresh.db" > /tmp/xcb.log 2>&1 &
pid=$!
for i in $(seq 1 100); do
  xdotool search --name "Empty workspace" >/dev/null 2>&1 && { echo offered; break; }
  sleep 0.2
done
kill -TERM $pid; wait $pid; echo "exit $?"
FIRST
  chmod 0755 "$ROOTFS/tmp/first-start.sh"
  session /tmp/first-start.sh
}
out=$(first_start 2>&1 || true); stop_x
echo "$out" | grep -q offered && pass "first start under X offers the demo workspace" || fail "no demo offer under X: $out $(tail -3 "$ROOTFS/tmp/xcb.log")"
echo "$out" | grep -q "exit 0" && pass "window under X exited with 0 on SIGTERM" || fail "under X: $out"

# Every screen, then the password saved through Settings into gnome-keyring.
tour() {  # $1: folder for screenshots, rest: tour options
  local dir=$1; shift
  session env CAMPAIGN_STUDIO_TOUR=1 $NAME --db $U/demo.db --out "$dir" "$@"
}
g0=$(date +%s)
if tour /tmp/tour --store-password "$PASSWORD" > "$CACHE/tour.log" 2>&1; then
  pass "tour: every screen opened under X ($(( $(date +%s) - g0 )) s)"
else
  fail "tour: $(grep -E 'FAIL|Error' "$CACHE/tour.log" | head -5)"
fi
stop_x
sed 's/^/package-test:      /' "$CACHE/tour.log" | grep "tour:"
cp "$ROOTFS"/tmp/tour/*.png "$SHOTS/" 2>/dev/null || true
ACCOUNT=$(grep -o 'account=[^ ]*' "$CACHE/tour.log" | head -1 | cut -d= -f2)
# keyring's Secret Service backend stores attributes service + username: ask the daemon directly.
found=$(session secret-tool lookup service $NAME username "$ACCOUNT" 2>/dev/null || true); stop_x
[ "$found" = "$PASSWORD" ] && pass "secret-tool finds the password in gnome-keyring (login keyring on disk)" \
  || fail "secret-tool lookup: '${found}'"
ls "$ROOTFS$U/.local/share/keyrings/"*.keyring >/dev/null 2>&1 && pass "keyring file in ~/.local/share/keyrings" \
  || fail "no keyring file written"
grep -q "$PASSWORD" "$ROOTFS$U/demo.db" && fail "the password is in the database file" || pass "the password is not in the database file"

# Restart: new program, new D-Bus session, new gnome-keyring daemon unlocked again.
if tour /tmp/tour-restart --expect-password "$PASSWORD" > "$CACHE/tour-restart.log" 2>&1; then
  pass "after a restart (program, D-Bus session, keyring daemon) the password comes back from the keyring"
else
  fail "keyring after restart: $(grep -E 'FAIL|Error' "$CACHE/tour-restart.log" | head -3)"
fi
stop_x
cp "$ROOTFS"/tmp/tour-restart/*.png "$SHOTS/" 2>/dev/null && for f in "$SHOTS"/*keyring-after-restart*.png; do mv "$f" "$SHOTS/restart-$(basename "$f")"; done 2>/dev/null || true

# --- removal and purge keep the user's data --------------------------------------------------
in_root apt-get remove -y -qq "$NAME" > /dev/null
[ ! -e "$ROOTFS/usr/lib/$NAME" ] && [ ! -e "$ROOTFS/usr/bin/$NAME" ] && pass "apt remove took the program away" \
  || fail "files left after apt remove"
# Install again (an upgrade path in miniature: the data is picked up), then purge.
in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$DEB")" > /dev/null 2>&1
as_user $NAME stats --db $U/demo.db 1 > /dev/null 2>&1 && pass "reinstalled: the demo database still opens" \
  || fail "reinstall: the demo database does not open"
in_root apt-get purge -y -qq "$NAME" > /dev/null
in_root dpkg-query -W "$NAME" > /dev/null 2>&1 && fail "still known to dpkg after purge" || pass "apt purge"
[ -d "$ROOTFS/opt" ] && pass "/opt still there after purge" || fail "purge removed /opt"
[ -s "$ROOTFS$U/.local/share/$NAME/$NAME.db" ] && [ -s "$ROOTFS$U/demo.db" ] \
  && pass "the user's databases survived remove and purge" || fail "user data gone after purge"

# --- the portable tarball on the same machine (the .deb's libraries stay installed) ----------
if [ -n "$TARBALL" ]; then
  cp "$TARBALL" "$ROOTFS/tmp/"
  as_user sh -c "mkdir -p ~/Apps && tar -C ~/Apps -xzf /tmp/$(basename "$TARBALL")"
  DIR=$(cd "$ROOTFS$U/Apps" && ls -d $NAME-* | head -1)
  out=$(as_user sh -c "cd ~/Apps/$DIR && ./install-menu-entry.sh" 2>&1) && pass "tarball: $out" || fail "install-menu-entry.sh: $out"
  ENTRY=$ROOTFS$U/.local/share/applications/$NAME.desktop
  in_root desktop-file-validate "${ENTRY#$ROOTFS}" && grep -q "^Exec=$U/Apps/$DIR/$NAME$" "$ENTRY" \
    && [ -s "$ROOTFS$U/.local/share/icons/hicolor/256x256/apps/$NAME.png" ] \
    && pass "tarball: menu entry valid, Exec=~/Apps/$DIR/$NAME, icon installed" || fail "tarball menu entry: $(cat "$ENTRY" 2>/dev/null | grep Exec)"
  out=$(as_user $U/Apps/$DIR/$NAME --version 2>&1) && pass "tarball: --version: $out" || fail "tarball --version: $out"
  cat > "$ROOTFS/tmp/tarball-tour.sh" <<TT
#!/bin/sh
CAMPAIGN_STUDIO_TOUR=1 exec $U/Apps/$DIR/$NAME --db $U/demo.db --out /tmp/tour-tarball
TT
  chmod 0755 "$ROOTFS/tmp/tarball-tour.sh"
  session /tmp/tarball-tour.sh > "$CACHE/tour-tarball.log" 2>&1 \
    && pass "tarball: every screen opened under X" || fail "tarball tour: $(grep FAIL "$CACHE/tour-tarball.log" | head -3)"
  stop_x
  out=$(as_user sh -c "cd ~/Apps/$DIR && ./install-menu-entry.sh --remove" 2>&1) && [ ! -e "$ENTRY" ] \
    && pass "tarball: menu entry removed" || fail "install-menu-entry.sh --remove: $out"
else
  note "(no dist/*.tar.gz: tarball not tested)"
fi

# --- figures ---------------------------------------------------------------------------------
note "package $(basename "$DEB"): $(du -h "$DEB" | cut -f1) ($(stat -c %s "$DEB") bytes), installed size $(dpkg-deb -f "$DEB" Installed-Size) KiB"
[ -n "$TARBALL" ] && note "tarball $(basename "$TARBALL"): $(du -h "$TARBALL" | cut -f1)"
[ -d dist/$NAME ] && note "bundle dist/$NAME: $(du -sh dist/$NAME | cut -f1)"
[ -n "${build_seconds:-}" ] && note "build ${build_seconds} s"
note "screenshots: $SHOTS ($(ls "$SHOTS" | wc -l) files)"
note "total $(( $(date +%s) - t0 )) s, $failures failure(s)"
[ "$failures" = 0 ]
