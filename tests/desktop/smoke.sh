#!/usr/bin/env bash
# Desktop smoke test: starts the real linkarr-desktop in the X display and D-Bus session it is
# given (scripts/test runs it under xvfb-run and dbus-run-session) and checks, as a user would
# see it, that the window comes up, its page reaches the core, and the listener takes webhooks.
# Usage: tests/desktop/smoke.sh path/to/linkarr-desktop
set -uo pipefail

binary=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/target/desktop-smoke"
rm -rf "$out" && mkdir -p "$out/home/run" "$out/data"
chmod 700 "$out/home/run"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
passed=0 failed=0

check() { # check "what" command...
    if "${@:2}"; then
        echo "ok   - $1"; passed=$((passed + 1))
    else
        echo "FAIL - $1"; failed=$((failed + 1))
    fi
}

answers() { curl -fsS -m 2 "$base/api/webhooks/test" >/dev/null 2>&1; }

wait_for_listener() {
    for _ in $(seq 1 150); do answers && return 0; sleep 0.2; done
    return 1
}

webhook_accepted() {
    curl -fsS -m 5 -H 'content-type: application/json' \
        --data-binary @"$root/tests/fixtures/overseerr/movie_media_approved.json" \
        "$base/api/webhooks/overseerr" | grep -q '"status":"accepted"'
}

# The page calls the management API with the token it was handed; the core logs each call.
page_reached_core() {
    for _ in $(seq 1 50); do
        grep -q 'method=GET path=/api/v1/status.*finished processing request.*status=200' "$out/app.log" \
            2>/dev/null && return 0
        sleep 0.2
    done
    return 1
}

screenshot_not_blank() {
    import -window root "$out/window.png" 2>/dev/null || return 1
    local colours
    colours=$(convert "$out/window.png" -format '%k' info:)
    echo "     screenshot: $out/window.png ($colours colours)"
    [ "$colours" -gt 50 ]
}

stops_cleanly_on_sigterm() {
    kill -TERM "$app"
    for _ in $(seq 1 50); do
        if ! kill -0 "$app" 2>/dev/null; then
            wait "$app"
            return $?
        fi
        sleep 0.2
    done
    return 1
}

HOME="$out/home" XDG_RUNTIME_DIR="$out/home/run" LINKARR_DATA_DIR="$out/data" \
    LINKARR_PORT="$port" LINKARR_BIND=127.0.0.1 RUST_LOG="linkarr=info,tower_http=debug" \
    "$binary" >"$out/app.log" 2>&1 &
app=$!

check "the listener answers after launch" wait_for_listener
check "an approval webhook is accepted" webhook_accepted
check "the window's page reaches the core with its token" page_reached_core
sleep 2 # let the page redraw with the new counts before the picture
check "the window shows the UI (screenshot)" screenshot_not_blank
check "the app is still running" kill -0 "$app"
check "SIGTERM stops it cleanly (exit 0)" stops_cleanly_on_sigterm
kill -9 "$app" 2>/dev/null

if [ "$failed" -gt 0 ]; then
    echo "--- app log ---"; tail -40 "$out/app.log"
fi
echo "desktop: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
