# Sourced by bench/run.sh: password login (scrypt) and the per-request cost
# of an authenticated GET /api/auth/me against health.
[ -x "$BUILD/cgi-bin/auth" ] || return 0
echo "== auth"
BEMAIL=bench-$$@example.org
BPW='bench password 1234'
printf '%s\n' "$BPW" | LTC_CONF="$DATA/ltc.conf" "$BUILD/bin/ltcctl" user add "$BEMAIL" \
    --role vip --password-stdin >/dev/null
login() {
	curl -s -X POST "$B/api/auth/login" -H 'Content-Type: application/json' \
	    -d "{\"email\":\"$BEMAIL\",\"password\":\"$BPW\"}" |
	    sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
}
t0=$(date +%s%N)
for i in 1 2 3 4 5; do TOKEN=$(login); done
t1=$(date +%s%N)
echo "login (scrypt N=2^15 r=8 p=3), sequential: avg $(( (t1 - t0) / 5000000 )) ms"
curl -s -X POST "$B/api/consent/accept" -H "Authorization: Bearer $TOKEN" -d \
    '{"consents":[{"doc_type":"terms","doc_version":"v1","accepted_at":"2026-01-01T00:00:00Z","source":"api"},{"doc_type":"privacy","doc_version":"v1","accepted_at":"2026-01-01T00:00:00Z","source":"api"}]}' >/dev/null
cat > "$DATA/bearer.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
for c in 1 8; do
	run auth_me "$B/api/auth/me" $c "$DATA/bearer.lua"
done
for c in 1 8; do
	eval m=\$RPS_auth_me_$c; eval h=\$RPS_health_$c
	awk -v m="$m" -v h="$h" -v c="$c" 'BEGIN { printf "ratio auth/me / health at c=%s: %.2f\n", c, m / h }'
done
