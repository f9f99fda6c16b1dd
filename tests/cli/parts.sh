# parts.sh - the parts inventory: Atlas's part.csv imported without loss
# (every field checked in what export gives back, and again in French and
# German headers), part list/show/add/set, the low-stock list, and parts
# used on work orders lowering the quantity on hand (below zero allowed
# and said; an unknown code recorded as free text, with a warning).
# Atlas's templates are not part of this repository: ATLAS_TEMPLATES names
# their folder (default: ../shared/data/atlas-cmms-templates beside the
# source tree).
. "$(dirname "$0")/lib.sh"

A=${ATLAS_TEMPLATES:-$WRENCH_SRC/../shared/data/atlas-cmms-templates}
if [ ! -r "$A/part.csv" ]; then
	fail "Atlas templates: no part.csv in $A (set ATLAS_TEMPLATES)"
	finish
fi

w import parts "$A/part.csv"
check_rc "Atlas part.csv" 0
assert_contains "every row in" "$OUT" "4 rows: 4 inserted, 0 updated, 0 unchanged, 0 rejected"
assert_eq "no warning" "" "$ERR"

# Every field of every row: ID, Name (trimmed), Description, Category,
# Cost, Quantity, Minimum Quantity, Barcode, Area, Non Stock, Additional
# Information.
w export parts
check_rc "export parts" 0
P=$(printf '%s\n' "$OUT" | sed 's/,[0-9a-f-]*$//')
assert_contains "header" "$P" "code,name,description,category,cost,on_hand,min_qty,barcode,area,non_stock,notes"
assert_contains "cables" "$P" $'\n2456,Cables,Transmits electrical power or signals.,Electrical Parts,20,20,19,1586568,"Shelf 1, Bin B",no,see datasheet'
assert_contains "display units" "$P" $'\n2476,Display Units,Shows measurements or operational statuses.,Electronic Components,200,17,10,77061229,"Shelf 1, Bin C",no,see datasheet'
assert_contains "o-rings, blanks trimmed" "$P" $'\n2505,O-rings,Provide seals in various applications to prevent leaks.,Hydraulic Components,5,3,3,82168288,"Ground Floor, Section C",no,see datasheet'
assert_contains "circuit board" "$P" $'\n2462,Circuit Board,Provides connections for electronic components within a system.,Electronic Components,200,11,9,30817468,"Shelf 1, Bin C",no,see datasheet'
assert_eq "four parts" 4 "$(csv_rows "$OUT")"

w import parts "$A/part.csv"
assert_contains "again: nothing changes" "$OUT" "0 inserted, 0 updated, 4 unchanged, 0 rejected"

# ---- the same template with French and German headers
sed '1s/.*/ID,Nom,Coût,Catégorie,Non stocké,Code-barres,Description,Quantité,Informations supplémentaires,Zone,Quantité minimale,Assigné à,Sous-traitants,Fournisseurs,Équipes/' \
	"$A/part.csv" | sed 's/^2456,/FR-1,/' | head -2 >"$TMP/fr.csv"
w import parts "$TMP/fr.csv"
check_rc "French headers" 0
sed '1s/.*/ID,Name,Kosten,Kategorie,Kein Lagerartikel,Barcode,Beschreibung,Menge,Zusätzliche Informationen,Bereich,Mindestmenge,Zugewiesen an,Auftragnehmer,Lieferanten,Teams/' \
	"$A/part.csv" | sed 's/^2456,/DE-1,/' | head -2 >"$TMP/de.csv"
w import parts "$TMP/de.csv"
check_rc "German headers" 0
w export parts
for c in FR-1 DE-1; do
	assert_contains "$c: every field" "$OUT" $'\n'"$c"',Cables,Transmits electrical power or signals.,Electrical Parts,20,20,19,1586568,"Shelf 1, Bin B",no,see datasheet,'
done

# ---- blank IDs (Atlas's new records): codes made from the names, found
# again by name on the next import
sed '2,$s/^[0-9]*,/,/' "$A/part.csv" >"$TMP/blank.csv"
DB_KEEP=$DB
DB="$TMP/blank.db"
w import parts "$TMP/blank.csv"
check_rc "blank IDs" 0
assert_contains "blank IDs: every row in" "$OUT" "4 inserted, 0 updated, 0 unchanged, 0 rejected"
w import parts "$TMP/blank.csv"
assert_contains "blank IDs again: the same parts" "$OUT" "0 inserted, 0 updated, 4 unchanged, 0 rejected"
w export parts
assert_contains "a code made from the name" "$OUT" $'
O-RINGS,O-rings,Provide seals'
DB=$DB_KEEP

# ---- list, low stock, show, add, set
w part list --format csv
check_rc "part list" 0
assert_contains "o-rings at their minimum: low" "$OUT" $'\n2505,O-rings,3,3,5,"Ground Floor, Section C",82168288,Hydraulic Components,yes'
assert_contains "cables above it" "$OUT" $'\n2456,Cables,20,19,20,"Shelf 1, Bin B",1586568,Electrical Parts,no'
w part list --low --format csv
assert_eq "only the o-rings are low" 1 "$(csv_rows "$OUT")"
assert_contains "low list" "$OUT" "2505,O-rings"
w part list --low --format json
assert_json "low list as JSON" "$OUT"
assert_eq "low is a boolean, as in part show" "true" "$(printf '%s' "$OUT" | jq -c '[.[].low] | unique | .[0]')"
w part show 82168288
check_rc "show by barcode" 0
assert_contains "found by its barcode" "$OUT" "O-rings"
assert_contains "said low" "$OUT" "3 (low)"
w part show 2505 --format json
assert_json "show JSON" "$OUT"
assert_eq "JSON on hand" 3 "$(printf '%s' "$OUT" | jq .on_hand)"
w part show NOPE
check_rc "unknown part" 1
assert_contains "says so" "$ERR" "no part with code or barcode NOPE"

w part add F-1 --name "Oil filter" --cost 12.5 --on-hand 4 --min 2 --barcode 555 --area "Bin 7"
check_rc "part add" 0
w part add F-1 --name again
check_rc "part add twice" 1
assert_contains "refused" "$ERR" "part F-1 already exists"
w part set F-1 --min -3 --area "Bin 9"
check_rc "a negative minimum" 1
w part show F-1 --format json
assert_eq "nothing changed by the refused set" '"Bin 7"' "$(printf '%s' "$OUT" | jq .area)"
w part set F-1 --on-hand 6 --area "Bin 9"
check_rc "part set" 0
w part show F-1 --format json
assert_eq "count recorded" 6 "$(printf '%s' "$OUT" | jq .on_hand)"
assert_eq "area moved" '"Bin 9"' "$(printf '%s' "$OUT" | jq .area)"

# ---- parts used on a work order
printf 'tag,name\nP-1,Pump\n' >"$TMP/a.csv"
w import assets "$TMP/a.csv"
w wo new --asset P-1 --title "Leaking seal"
N=$OUT
w wo part "$N" --code F-1 --qty 2
check_rc "use a part" 0
assert_contains "what is left" "$OUT" "part F-1 x 2 recorded, 4 on hand"
w wo part "$N" --code F-1 --qty 5
check_rc "below zero: recorded" 0
assert_contains "below zero" "$OUT" "-1 on hand"
assert_contains "and said" "$ERR" "part F-1 is now below zero on hand (-1)"
w wo part "$N" --code F-1 --qty 3 --return
check_rc "given back" 0
assert_contains "back up" "$OUT" "2 on hand"
w part show F-1 --format json
assert_eq "on hand after the uses" 2 "$(printf '%s' "$OUT" | jq .on_hand)"
assert_eq "low now" true "$(printf '%s' "$OUT" | jq .low)"
w wo part "$N" --code GASKET-9 --qty 1
check_rc "unknown code: free text" 0
assert_contains "warned" "$ERR" "part GASKET-9 is not in the inventory; recorded as free text"
w wo show "$N" --format json
assert_eq "name filled from the inventory" '"Oil filter"' "$(printf '%s' "$OUT" | jq '.parts[0].description')"
assert_eq "cost filled from the inventory" 12.5 "$(printf '%s' "$OUT" | jq '.parts[0].unit_cost')"
assert_eq "the correction" -3 "$(printf '%s' "$OUT" | jq '.parts[2].qty')"
w wo part WO-999999 --code F-1 --qty 1
check_rc "no such work order" 1
w part show F-1 --format json
assert_eq "a refused use takes nothing" 2 "$(printf '%s' "$OUT" | jq .on_hand)"

finish
