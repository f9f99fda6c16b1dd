#!/usr/bin/env bash
# The configuration file in the interface, at 40x16 and 120x40: a rebound
# key works and its old key does not, help and the key bar show the new
# key, a rebound key that clashes with another action is named, a bad line
# is named in the message history and the rest of the file still applies
# (a colour), the file's scan.prefix makes a slow scan after it a scan, and
# require_codes = yes from the file blocks completing a corrective work
# order without its codes.
source "$(dirname "$0")/lib.sh"
make_db || { echo "cannot build the test database"; echo "0 passed, 1 failed"; exit 1; }

json_is() { [ "$(w wo show "$1" --format json 2>/dev/null | jq -r "$2")" = "$3" ]; }

mkdir -p "$XDG_CONFIG_HOME/wrench"
cat >"$XDG_CONFIG_HOME/wrench/config" <<'EOF'
# quick-create on x instead of c
bind.quick_create = x
colour.x = red
require_codes = yes
color.title = white,magenta
# w is the timer on a work order: the file is told it clashes there
bind.redraw = ^L w
# a scanner that sends + before each code
scan.prefix = +
EOF

# The title bar's background is magenta (SGR 45) when color.title applies.
title_magenta() { tm capture-pane -p -e -t main | head -1 | grep -q '45m'; }

run_config() {
	local cols=$1 rows=$2 tag="$1x$2" asset="CFG-$1" n

	start "$cols" "$rows"
	expect "bind.redraw" "$tag: a clash of a rebound key is shown in the message line"
	expect "'timer'" "$tag: the clash names the other action"
	check "$tag: color.title colours the title bar" retry title_magenta
	keys M
	expect "colour.x" "$tag: the bad line is in the message history"
	keys q
	keys 2
	expect "Work orders" "$tag: the work-order list opens"
	if [ "$cols" -ge 100 ]; then
		expect "x New WO" "$tag: the key bar shows the new key"
	else
		expect "xNew" "$tag: the handheld key bar shows the new key"
	fi
	# The old key does nothing: the help that follows is the list's.
	keys c
	keys '?'
	expect "Keys on Work orders" "$tag: c no longer opens the quick-create form"
	expect "x              Quick-create" "$tag: help shows x for quick-create"
	expect_not "c              Quick-create" "$tag: help no longer shows c for it"
	keys q
	expect "Work orders" "$tag: back on the list"
	keys x
	expect "New work order" "$tag: x opens the quick-create form"
	keys Escape q
	expect "Work orders" "$tag: the empty form closes"
	# scan.prefix = + from the file: keys after + are a scan however slow
	# (300 ms a key, four times the default window).
	paced 300 "+$TWO"
	expect "Status: open" "$tag: a slow scan after the file's prefix opens the work order"
	expect "Test open job for tech" "$tag: ... the one scanned"
	keys q
	expect "Work orders" "$tag: back on the list after the scan"
	keys Q
	expect "EXITED 0" "$tag: Q quits"

	# require_codes = yes from the file: completing without codes is refused.
	printf 'tag,name,class\n%s,Config pump %s,pump\n' "$asset" "$tag" >"$T_DIR/cfg.csv"
	w import assets "$T_DIR/cfg.csv" >/dev/null 2>&1
	n=$(w wo new --asset "$asset" --title "Noise at $tag" --assignee tech 2>/dev/null)
	start_args "$cols" "$rows" "ui $n"
	expect "Status: open" "$tag: the work order opens"
	keys t
	expect "done (work done)" "$tag: done is offered"
	keys 3
	expect "Codes are required to complete" "$tag: the form says codes are required"
	keys s
	expect "Not saved: $n is corrective" "$tag: saving without codes is refused"
	check "$tag: the work order is still open" json_is "$n" .status open
	keys Q
	expect "EXITED 0" "$tag: Q quits after the refusal"
}

run_config 40 16
run_config 120 40
finish
