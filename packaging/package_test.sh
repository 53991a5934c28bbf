#!/usr/bin/env bash
# End-to-end test of the Debian package on this machine (root or sudo; Debian/Ubuntu):
# build it, install it with dpkg -i, run the installed program (validate, demo, the window
# offscreen for a few seconds, SIGTERM), take a screenshot under Xvfb when Xvfb is there, then
# dpkg -r and check the user's data survived. Prints the package's and the bundle's size.
#   packaging/package_test.sh              build + test   (make package-test)
#   packaging/package_test.sh --no-build   test the .deb already in dist/
# Too slow for every CI run (the build alone takes minutes): run it before a release.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NAME=campaign-studio
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
t0=$(date +%s)
failures=0
pass() { echo "package-test: ok   $*"; }
fail() { echo "package-test: FAIL $*"; failures=$((failures + 1)); }

if dpkg-query -W -f='${Status}' "$NAME" 2>/dev/null | grep -q "install ok installed"; then
  echo "package-test: $NAME is already installed here; remove it first (dpkg -r $NAME)" >&2
  exit 2
fi

if [ "${1:-}" != "--no-build" ]; then
  b0=$(date +%s)
  packaging/build_deb.sh
  build_seconds=$(( $(date +%s) - b0 ))
fi
DEB=$(ls -t dist/${NAME}_*.deb 2>/dev/null | head -1)
[ -n "$DEB" ] || { echo "package-test: no dist/${NAME}_*.deb" >&2; exit 2; }

WORK=$(mktemp -d /tmp/campaign-studio-package-test.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if dpkg-query -W -f='${Status}' "$NAME" 2>/dev/null | grep -q "install ok installed"; then
    $SUDO dpkg -r "$NAME" >/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- the package itself ----------------------------------------------------------------------
if dpkg-deb --ctrl-tarfile "$DEB" | tar -t | grep -qE '(postrm|prerm)$'; then
  fail "the package has a removal script (it must leave users' data alone)"
else
  pass "no prerm/postrm script"
fi

# --- install ---------------------------------------------------------------------------------
missing=()
IFS=',' read -ra deps <<< "$(dpkg-deb -f "$DEB" Depends)"
for dep in "${deps[@]}"; do
  pkg=$(echo "$dep" | sed 's/(.*)//; s/|.*//' | xargs)
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# The test's own tools: a virtual X server (real xcb plugin, screenshots) and key presses.
for tool in xvfb:Xvfb xdotool:xdotool; do
  command -v "${tool#*:}" >/dev/null || missing+=("${tool%%:*}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "package-test: installing dependencies: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
i0=$(date +%s)
$SUDO dpkg -i "$DEB" >/dev/null
pass "dpkg -i $(basename "$DEB") ($(( $(date +%s) - i0 )) s)"

for f in /usr/bin/$NAME /opt/$NAME/$NAME /usr/share/applications/$NAME.desktop \
         /usr/share/icons/hicolor/scalable/apps/$NAME.svg /usr/share/icons/hicolor/256x256/apps/$NAME.png; do
  [ -e "$f" ] && pass "installed $f" || fail "missing $f"
done
RES=$(dirname "$(find /opt/$NAME -type d -name campaigns -path '*resources*' | head -1)")
if [ -d "$RES" ] && diff <(cd resources && find . -type f | sort) <(cd "$RES" && find . -type f | sort) >/dev/null; then
  pass "every file of resources/ is in the bundle ($(find "$RES" -type f | wc -l) files)"
else
  fail "resources/ and the bundle's ${RES:-resources} differ (a stale build?)"
fi
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate /usr/share/applications/$NAME.desktop && pass "desktop entry valid" \
    || fail "desktop-file-validate"
fi

# A fresh user: own HOME and data folder, so this machine's real data is never touched.
export HOME=$WORK/home XDG_DATA_HOME=$WORK/home/.local/share XDG_CONFIG_HOME=$WORK/home/.config
export XDG_RUNTIME_DIR=$WORK/runtime
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset CAMPAIGN_STUDIO_DATA_DIR
USER_DB=$XDG_DATA_HOME/$NAME/$NAME.db

# --- the command line ------------------------------------------------------------------------
version=$($NAME --version 2>&1) && pass "--version: $version" || fail "--version: $version"
SAMPLE=$(find /opt/$NAME -name welcome_series.campaign.json | head -1)
if [ -n "$SAMPLE" ] && out=$($NAME validate "$SAMPLE" 2>&1); then
  pass "validate ${SAMPLE#/opt/$NAME/}"
else
  fail "validate ${SAMPLE:-<sample not in bundle>}: $out"
fi
if out=$(printf '{"nodes": [' > "$WORK/bad.json"; $NAME validate "$WORK/bad.json" 2>&1); then
  fail "validate accepted a broken file"
else
  echo "$out" | grep -q Traceback && fail "validate of a broken file printed a traceback" \
    || pass "validate rejects a broken file without a traceback"
fi
d0=$(date +%s)
if out=$($NAME demo --db "$WORK/demo.db" 2>&1) && [ -s "$WORK/demo.db" ]; then
  pass "demo workspace built in the bundle ($(( $(date +%s) - d0 )) s, $(du -h "$WORK/demo.db" | cut -f1))"
else
  fail "demo --db: $(echo "$out" | tail -3)"
fi

# The engine inside the bundle: one live pass (service, migrations, delivery to the outbox),
# then a forecast (runner, templating), on the demo database if built, else on a fresh file.
ENGINE_DB=$WORK/demo.db; [ -s "$ENGINE_DB" ] || ENGINE_DB=$WORK/engine.db
if out=$($NAME run --db "$ENGINE_DB" --once --outbox "$WORK/outbox" 2>&1); then
  pass "run --once (headless engine pass)"
else
  fail "run --once: $(echo "$out" | tail -3)"
fi

if [ "$ENGINE_DB" = "$WORK/demo.db" ]; then
  if $NAME simulate "$SAMPLE" --db "$ENGINE_DB" --days 3 --json > "$WORK/sim.json" 2> "$WORK/sim.err" \
     && python3 -c 'import json, sys; assert "nodes" in json.load(open(sys.argv[1]))' "$WORK/sim.json"; then
    pass "simulate --json (3 days on the demo workspace)"
  else
    fail "simulate: $(tail -3 "$WORK/sim.err")"
  fi
else
  echo "package-test: (simulate skipped: it needs the demo workspace)"
fi

# --- the window ------------------------------------------------------------------------------
QT_QPA_PLATFORM=offscreen $NAME > "$WORK/window.log" 2>&1 &
pid=$!; pids+=("$pid")
sleep 6
if kill -0 "$pid" 2>/dev/null; then
  pass "window alive after 6 s (offscreen)"
  kill -TERM "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    fail "window still running 10 s after SIGTERM"; kill -KILL "$pid" 2>/dev/null || true
  else
    code=0; wait "$pid" || code=$?
    [ "$code" = 0 ] && pass "window exited cleanly on SIGTERM" \
      || fail "window exit code $code on SIGTERM (143 = killed by the signal, not handled)"
  fi
else
  code=0; wait "$pid" || code=$?
  fail "window died within 6 s (exit $code): $(tail -5 "$WORK/window.log")"
fi
grep -q Traceback "$WORK/window.log" && fail "traceback: $(grep -A3 Traceback "$WORK/window.log" | tail -3)"
[ -s "$USER_DB" ] && pass "first start created ${USER_DB#$HOME/}" || fail "no database at $USER_DB"

# A real X server (Xvfb) exercises the xcb plugin and the system libraries the .deb depends on.
SHOT=$ROOT/dist/package-test-screenshot.png
if command -v Xvfb >/dev/null && [ -x "$ROOT/.venv/bin/python" ]; then
  display=:$(( 90 + RANDOM % 100 ))
  Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp > "$WORK/xvfb.log" 2>&1 &
  pids+=("$!"); sleep 1
  DISPLAY=$display QT_QPA_PLATFORM=xcb $NAME > "$WORK/xcb.log" 2>&1 &
  pid=$!; pids+=("$pid")
  sleep 8
  if kill -0 "$pid" 2>/dev/null; then
    DISPLAY=$display QT_QPA_PLATFORM=xcb "$ROOT/.venv/bin/python" - "$SHOT" <<'PY' && pass "screenshot under Xvfb: $SHOT" || fail "screenshot"
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
sys.exit(0 if app.primaryScreen().grabWindow(0).save(sys.argv[1]) else 1)
PY
    # First start offers the demo workspace: answer Yes (Return) and wait for the contacts.
    if command -v xdotool >/dev/null; then
      dialog=$(DISPLAY=$display xdotool search --name "Empty workspace" 2>/dev/null | head -1 || true)
      if [ -n "$dialog" ]; then
        pass "first start offers the demo workspace"
        DISPLAY=$display xdotool windowfocus --sync "$dialog" key Return
        contacts=0
        for _ in $(seq 1 120); do
          contacts=$(python3 -c 'import sqlite3, sys
try: print(sqlite3.connect(sys.argv[1]).execute("select count(*) from contacts").fetchone()[0])
except Exception: print(0)' "$USER_DB")
          # done when the contacts are in and the progress dialog has gone (one visible window)
          visible=$(DISPLAY=$display xdotool search --onlyvisible --name . 2>/dev/null | wc -l)
          [ "$contacts" -gt 0 ] && [ "$visible" -le 1 ] && break
          kill -0 "$pid" 2>/dev/null || break
          sleep 1
        done
        sleep 2
        if [ "$contacts" -gt 0 ]; then
          pass "demo workspace built from the window ($contacts contacts)"
        else
          fail "demo workspace from the window: no contacts ($(grep -A4 Traceback "$WORK/xcb.log" | tail -2))"
        fi
        DISPLAY=$display QT_QPA_PLATFORM=xcb "$ROOT/.venv/bin/python" - "${SHOT%.png}-demo.png" <<'PY' || true
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
app.primaryScreen().grabWindow(0).save(sys.argv[1])
PY
      else
        fail "no demo offer on first start"
      fi
    fi
    kill -TERM "$pid"
    for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      fail "window under Xvfb still running 15 s after SIGTERM"; kill -KILL "$pid" 2>/dev/null || true
    else
      code=0; wait "$pid" || code=$?
      [ "$code" = 0 ] && pass "window under Xvfb exited cleanly on SIGTERM" || fail "exit $code on SIGTERM under Xvfb"
    fi
    grep -q Traceback "$WORK/xcb.log" && fail "traceback under Xvfb: $(grep -A3 Traceback "$WORK/xcb.log" | tail -2)"
  else
    fail "window died under Xvfb: $(tail -5 "$WORK/xcb.log")"
  fi
else
  echo "package-test: (no Xvfb or .venv: screenshot skipped)"
fi

# --- remove ----------------------------------------------------------------------------------
$SUDO dpkg -r "$NAME" >/dev/null
[ ! -e /opt/$NAME ] && [ ! -e /usr/bin/$NAME ] && pass "dpkg -r removed /opt/$NAME and /usr/bin/$NAME" \
  || fail "files left after dpkg -r"
[ -s "$USER_DB" ] && pass "the user's database survived dpkg -r" || fail "dpkg -r removed user data"

echo "package-test: package $(basename "$DEB"): $(du -h "$DEB" | cut -f1) ($(stat -c %s "$DEB") bytes)"
[ -d dist/$NAME ] && echo "package-test: bundle dist/$NAME: $(du -sh dist/$NAME | cut -f1)"
echo "package-test: installed size $(dpkg-deb -f "$DEB" Installed-Size) KiB"
[ -n "${build_seconds:-}" ] && echo "package-test: build ${build_seconds} s"
echo "package-test: total $(( $(date +%s) - t0 )) s, $failures failure(s)"
[ "$failures" = 0 ]
