# t_conflict_feed.sh - the field conflicts the server answers are kept
# (field_conflict) and served with their record in the change feed, so
# that every device hears of them: a conflict bumps the record into the
# feed even when nothing else of it changed; an update that leaves the
# field at the value it sends ends the conflict, and the record comes
# again with "conflicts": [].  A record that never had one has no member.
db_new conflict_feed
TECH=$(token technician)
server_start A
batch() { printf '{"device":"%s","mutations":[%s]}' "$1" "$2"; }
W=$(uuid)
api POST "$A_URL/api/v1/push" "$TECH" "$(batch dev-a \
	"{\"seq\":1,\"entity\":\"workorders\",\"op\":\"create\",\"uuid\":\"$W\",\"base_version\":0,\"fields\":{\"title\":{\"new\":\"Leak\"}}}")"
expect_status 200 "the create"
expect_jq '.results[0].status' applied "the create"

# feed CURSOR: the changes after CURSOR; sets CURSOR to the page's next.
feed() {
	api GET "$A_URL/api/v1/changes?cursor=$CURSOR" "$TECH"
	expect_status 200 "a pull"
	CURSOR=$(printf '%s' "$BODY" | jq -r .next)
}
CURSOR=
feed
expect_jq ".changes[] | select(.uuid == \"$W\") | has(\"conflicts\")" false \
	"a record that never had a conflict has no conflicts member"

upd() { # upd DEVICE SEQ BASE FIELD OLD NEW
	api POST "$A_URL/api/v1/push" "$TECH" "$(batch "$1" \
		"{\"seq\":$2,\"entity\":\"workorders\",\"op\":\"update\",\"uuid\":\"$W\",\"base_version\":$3,\"fields\":{\"$4\":{\"old\":$5,\"new\":$6}}}")"
	expect_status 200 "an update from $1"
}
upd dev-a 2 1 priority '"medium"' '"urgent"'
expect_jq '.results[0].status' applied "device a's edit"
feed
upd dev-b 1 1 priority '"medium"' '"low"'
expect_jq '.results[0].status' conflict "device b's edit of the same field"
[ "$(sql "SELECT field, base::text, lost::text, kept::text, lost_by, lost_device, resolved_at IS NULL FROM field_conflict WHERE uuid = '$W'")" = \
  'priority|"medium"|"low"|"urgent"|technician|dev-b|t' ] ||
	fail "field_conflict: $(sql "SELECT * FROM field_conflict")"

# The conflict changed nothing of the record (version 2) but brings it back.
feed
expect_jq ".changes | map(select(.uuid == \"$W\")) | length" 1 "the conflict bumps the record"
REC=".changes[] | select(.uuid == \"$W\")"
expect_jq "$REC | [.version, (.conflicts | length)] | map(tostring) | join(\" \")" "2 1" \
	"the record's version and one conflict"
expect_jq "$REC | .conflicts[0] | [.field, .base, .kept.value, .lost.value, .lost.device,
	.lost.by, .kept.by] | join(\" \")" "priority medium urgent low dev-b technician technician" \
	"the conflicts member"
expect_jq "$REC | .conflicts[0] | (.kept.at | test(\"^[0-9-]{10}T[0-9:]{8}Z$\")) and
	(.lost.at | test(\"^[0-9-]{10}T[0-9:]{8}Z$\")) and (.id > 0)" true "the conflict's instants and id"

# An update of another field leaves it open.
upd dev-a 3 2 assignee null '"anna"'
expect_jq '.results[0].status' applied "an edit of another field"
feed
expect_jq ".changes[] | select(.uuid == \"$W\") | .conflicts | length" 1 "the conflict stays open"

# Device a (whose value the server kept) keeps it: nothing changes in the
# record, the conflict ends, and the record comes again with [].
upd dev-a 4 3 priority '"low"' '"urgent"'
expect_jq '.results[0] | .status + " " + (.version | tostring)' "applied 3" "keep-mine on the kept side"
[ "$(sql "SELECT resolved_at IS NOT NULL FROM field_conflict WHERE uuid = '$W'")" = t ] ||
	fail "the conflict was not ended"
feed
expect_jq ".changes[] | select(.uuid == \"$W\") | [.version, (.conflicts | tojson)] | map(tostring) | join(\" \")" \
	"3 []" "the ended conflict is gone from the feed"

# A new conflict on the field, ended by the side that lost taking the
# other value with an update whose new value the field already has.
upd dev-b 2 3 priority '"medium"' '"high"'
expect_jq '.results[0].status' conflict "a second conflict"
feed
expect_jq ".changes[] | select(.uuid == \"$W\") | .conflicts | length" 1 "the second conflict is served"
upd dev-b 3 3 priority '"high"' '"urgent"'
expect_jq '.results[0].status' applied "take-theirs on the side that lost"
feed
expect_jq ".changes[] | select(.uuid == \"$W\") | .conflicts | tojson" "[]" "the second conflict ended"
[ "$(sql "SELECT count(*) FILTER (WHERE resolved_at IS NULL), count(*) FROM field_conflict")" = "0|2" ] ||
	fail "field_conflict at the end: $(sql "SELECT * FROM field_conflict")"
