#!/usr/bin/env bash
# The site pick list holds every site of a plant with many: on a plant of
# 70 sites, s on the Reports screen lists all of them after "all sites",
# G goes to the last (S70, past the 64 the list once held) and Enter
# keeps it.
source "$(dirname "$0")/lib.sh"

{
	printf 'code,name,kind,parent\n'
	for i in $(seq 1 70); do printf 'S%02d,Site %d,site,\n' "$i" "$i"; done
} >"$T_DIR/locations.csv"
w import locations "$T_DIR/locations.csv" >/dev/null || {
	echo "cannot build the plant of 70 sites"
	echo "0 passed, 1 failed"
	exit 1
}

start 80 24
wait_for "My open work"
keys 8
expect "Reports" "8 opens the Reports"
keys s
expect "all sites" "s offers the sites"
expect "S01 Site 1" "the first site is listed"
keys G
expect "S70 Site 70" "G reaches the 70th site"
expect_not "S01 Site 1" "the list scrolled down to it"
keys Enter
expect "Reports at S70" "Enter keeps the 70th site"
keys s
expect "S70 Site 70" "s again opens the list at the site chosen"
keys Escape
keys Q
expect "EXITED 0" "Q quits"
finish
