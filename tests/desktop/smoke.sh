#!/usr/bin/env bash
# Desktop smoke test: starts the real linkarr-desktop in the X display and D-Bus session it is
# given (scripts/test runs it under xvfb-run and dbus-run-session) and checks, as a user would
# see it: the window comes up and its page reaches the core; a webhook ends in a desktop
# notification (seen on D-Bus); the start-at-login setting writes and removes the login entry;
# a second launch hands over to the first; closing the window ends its process and WebKit's; a
# start from the login entry stays in the tray until opened.
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

token=smoke-test-token-0123456789
autostart_entry="$out/home/.config/autostart/Linkarr.desktop"
export HOME="$out/home" XDG_RUNTIME_DIR="$out/home/run" LINKARR_DATA_DIR="$out/data" \
    LINKARR_PORT="$port" LINKARR_BIND=127.0.0.1 LINKARR_API_TOKEN="$token" \
    RUST_LOG="linkarr=info,linkarr_desktop=info,tower_http=debug"

api_put() { # api_put '{"setting": value}'
    curl -fsS -m 5 -X PUT -H "x-api-key: $token" -H 'content-type: application/json' \
        --data "$1" "$base/api/v1/settings" >/dev/null
}

eventually() { # eventually command...: true within 10 s
    for _ in $(seq 1 50); do "$@" && return 0; sleep 0.2; done
    return 1
}

# The notification for the webhook's request, which waits for a TMDb key: it needs the user.
notified_on_dbus() {
    eventually grep -q 'needs attention' "$out/dbus.log" && grep -q 'member=Notify' "$out/dbus.log"
}

autostart_written() {
    api_put '{"start_at_login": true}' &&
        eventually test -f "$autostart_entry" && grep -q -- '--minimized' "$autostart_entry"
}

autostart_removed() {
    api_put '{"start_at_login": false}' && eventually test ! -e "$autostart_entry"
}

# The second start exits at once, without a listener of its own, and the first shows its window.
second_launch_hands_over() {
    timeout 20 "$binary" >"$out/second.log" 2>&1 || return 1
    ! grep -q 'Listening on' "$out/second.log" &&
        eventually grep -q 'Linkarr was started again' "$out/app.log"
}

# The window's processes below the app: linkarr-window and WebKit's helpers.
window_processes() {
    local pids=("$1") all
    all=$(ps -eo pid=,ppid=,comm=)
    for _ in 1 2 3; do
        for pid in "${pids[@]}"; do
            mapfile -t -O "${#pids[@]}" pids < <(awk -v p="$pid" '$2 == p {print $1}' <<<"$all")
        done
    done
    for pid in $(printf '%s\n' "${pids[@]}" | sort -u); do
        awk -v p="$pid" '$1 == p && $3 ~ /^(WebKit|linkarr-window)/ {print $1}' <<<"$all"
    done | wc -l
}
has_webview() { [ "$(window_processes "$app")" -gt 0 ]; }
has_no_webview() { [ "$(window_processes "$app")" -eq 0 ]; }

# The resident app itself never loads WebKit: the window is a process of its own.
app_maps_no_webkit() {
    local maps
    maps=$(cat "/proc/$app/maps") && grep -q 'libgtk-3' <<<"$maps" && ! grep -q 'libwebkit2gtk' <<<"$maps"
}

closing_releases_the_webview() {
    has_webview && python3 "$root/tests/desktop/close-window.py" Linkarr &&
        eventually has_no_webview && kill -0 "$app"
}

# The window program beside the app's, from this test (its parent is gone once the app is).
no_window_program_left() { ! pgrep -f "^$(dirname "$binary")/linkarr-window" >/dev/null; }

launch() { # launch [args]: starts the app in the background as $app
    "$binary" "$@" >>"$out/app.log" 2>&1 &
    app=$!
}

dbus-monitor --session "interface=org.freedesktop.Notifications" >"$out/dbus.log" 2>&1 &
monitor=$!
launch

check "the listener answers after launch" wait_for_listener
check "an approval webhook is accepted" webhook_accepted
check "the window's page reaches the core with its token" page_reached_core
sleep 2 # let the page redraw with the new counts before the picture
check "the window shows the UI (screenshot)" screenshot_not_blank
check "the webhook ends in a desktop notification (D-Bus)" notified_on_dbus
check "start at login writes the login entry (--minimized)" autostart_written
check "turning it off removes the entry" autostart_removed
check "a second launch hands over to the running app" second_launch_hands_over
check "the resident app maps no WebKit library" app_maps_no_webkit
check "closing the window ends its processes, WebKit's too; the app stays" closing_releases_the_webview
check "SIGTERM stops it cleanly (exit 0)" stops_cleanly_on_sigterm
kill -9 "$app" 2>/dev/null

launch --minimized
check "started from the login entry: listening, no window" \
    eval 'wait_for_listener && sleep 2 && has_no_webview'
check "opening it from a second launch builds the window" \
    eval 'timeout 20 "$binary" >/dev/null 2>&1; eventually has_webview'
check "SIGTERM stops it cleanly again" stops_cleanly_on_sigterm
check "quitting closes the window too" eventually no_window_program_left
kill -9 "$app" "$monitor" 2>/dev/null

if [ "$failed" -gt 0 ]; then
    echo "--- app log ---"; tail -40 "$out/app.log"
fi
echo "desktop: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
