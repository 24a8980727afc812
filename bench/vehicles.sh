# Sourced by bench/run.sh after auth.sh: GET /api/vehicles with 20
# vehicles, POST .../entries, and the entry list with 100 000 entries.
[ -x "$BUILD/cgi-bin/vehicles" ] && [ -n "${TOKEN:-}" ] || return 0
echo "== vehicles"
i=0
while [ $i -lt 20 ]; do
	VID=$(curl -s -X POST "$B/api/vehicles" -H "Authorization: Bearer $TOKEN" \
	    -d "{\"vin\":\"WVWZZZ1JZXW$(printf '%06d' $i)\",\"meta\":{\"make\":\"VW\"}}" |
	    sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
	i=$((i + 1))
done
for c in 1 8; do
	run vehicles_list "$B/api/vehicles" $c "$DATA/bearer.lua"
done
cat > "$DATA/entry.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"date":"2026-03-01","type":"Service","performed_by":"Fachwerkstatt","km":12345,"trust_level":"T2"}'
LUA
for c in 1 8; do
	run entries_create "$B/api/vehicles/$VID/entries" $c "$DATA/entry.lua"
done
# 100 000 entries on one vehicle, inserted directly, then list latency.
sqlite3 "$DATA/ltc.sqlite" <<SQL >/dev/null
.timeout 10000
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO vehicle_entries (id, vehicle_id, owner_user_id, created_by_user_id, entry_group_id,
    version, is_latest, entry_date, entry_type, performed_by, km, created_at, updated_at)
SELECT printf('bench-%d', i), '$VID', 'bench', 'bench', printf('bench-%d', i), 1, 1,
    date('2000-01-01', printf('+%d days', i % 9000)), 'Service', 'Fachwerkstatt', i,
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM n;
SQL
for q in "limit=50" "limit=50&offset=90000" "limit=1000"; do
	tot=0
	for k in 1 2 3 4 5; do
		t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" \
		    "$B/api/vehicles/$VID/entries?$q")
		tot=$(awk -v a="$tot" -v b="$t" 'BEGIN { print a + b }')
	done
	awk -v t="$tot" -v q="$q" 'BEGIN { printf "entries list (100k entries, %s): avg %.1f ms\n", q, t * 200 }'
done
t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$B/api/vehicles/$VID/trust-summary")
awk -v t="$t" 'BEGIN { printf "trust-summary (100k entries): %.1f ms\n", t * 1000 }'
