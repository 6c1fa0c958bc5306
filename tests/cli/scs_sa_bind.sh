#!/usr/bin/env bash
# gba-scs refuses an SA file that was copied, moved or restored from a
# backup (docs/scs.md "Copied or restored SA files"): such a file may hold
# an old SN_c, and a trigger from it would reuse a GPL sequence number and
# so the CTR keystream.  Cases: restore in place (same inode, older
# generation), restore as a new file, copy to another path, the same path
# under a second SCS's state (other host secret).  Each is refused with
# exit 1 and one clear line; "show" says binding=copied-or-restored; a new
# GPI ("request") makes triggers work again and gba-ue verifies them.
# Mock BSF as in scs_ue_interop.sh (tests/cli/scs_mockbsf.py, mode aka).
set -euo pipefail
. "$(dirname "$0")/lib/cli.bash"
cli_scs_ue
export GBA_SCS_STATE_DIR="$T/host1"
IMPI=001010000000001@ims.mnc001.mcc001.3gppnetwork.org
cli_mock_bsf
"$UE" --state "$T/ue" init --k $K --opc $OPC --impi "$IMPI" --app-id 0x8001 \
	--trigger-port 16001 > /dev/null

request() {
	"$SCS" request "${BSF[@]}" --ue-id "$IMPI" --naf-fqdn scs.example.org \
		--sa "$T/ue1.sa" "$@" > "$T/req" || fail "request: $(cat "$T/req")"
	grep -qx "binding=ok" "$T/req" || fail "request: no binding=ok"
	"$SCS" push --sa "$T/ue1.sa" --msisdn +447700900123 --app-id 0x8001 > "$T/push" ||
		fail "push after request"
	"$UE" --state "$T/ue" receive $(cat "$T/push") | grep -q "^GPI_ACCEPTED" ||
		fail "UE did not take the GPI"
}
# trigger PAYLOAD SN: printed, and verified by the UE with that SN
trigger() {
	"$SCS" trigger --sa "$T/ue1.sa" --payload "$1" --port 16001 > "$T/t" ||
		fail "trigger $1 refused"
	"$UE" --state "$T/ue" receive $(cat "$T/t") | grep -q "^TRIGGER .*sn=$2 payload=$1$" ||
		fail "trigger $1 (sn=$2) not verified by the UE"
}
# refused CMD SA [extra args]: exit 1, one line naming the cause, no PDUs
refused() {
	local what=$1 sa=$2 rc; shift 2
	set +e
	"$SCS" "$what" --sa "$sa" "$@" > "$T/out" 2> "$T/err"; rc=$?
	set -e
	[ $rc -eq 1 ] || fail "$what on $sa: exit $rc, want 1"
	[ ! -s "$T/out" ] || fail "$what on $sa printed PDUs"
	[ "$(wc -l < "$T/err")" -eq 1 ] || fail "$what on $sa: $(cat "$T/err")"
	grep -q "copied, moved or restored.*gba-scs request.*GBA_ERR_SA_UNBOUND" "$T/err" ||
		fail "$what on $sa: message '$(cat "$T/err")'"
}

request
trigger 01 1
cp -p "$T/ue1.sa" "$T/backup.sa"          # backup at SN_c = 1
trigger 02 2
trigger 03 3

# 1. restore in place (cp over the file keeps its inode): older generation
cp "$T/backup.sa" "$T/ue1.sa"
refused trigger "$T/ue1.sa" --payload 04 --port 16001
refused push "$T/ue1.sa" --msisdn +447700900123 --app-id 0x8001
"$SCS" show --sa "$T/ue1.sa" | grep -qx "binding=copied-or-restored" || fail "show: binding"
# 2. restore as a new file (rm, then copy back: new inode)
rm "$T/ue1.sa"
cp -p "$T/backup.sa" "$T/ue1.sa"
refused trigger "$T/ue1.sa" --payload 04 --port 16001
# 3. even the newest content on a new inode is refused (a copy is a copy)
request
trigger 05 1
cp -p "$T/ue1.sa" "$T/ue1.new" && mv "$T/ue1.new" "$T/ue1.sa"
refused trigger "$T/ue1.sa" --payload 06 --port 16001
# 4. copied to another path on the same host
request
cp -p "$T/ue1.sa" "$T/copy.sa"
refused trigger "$T/copy.sa" --payload 07 --port 16001
trigger 08 1                                # the original still works
# 5. the same file at the same path, but a second SCS's state
refused trigger "$T/ue1.sa" --payload 09 --port 16001 --state "$T/host2"
trigger 0a 2
# resync and show still read a copied file (resync ends in a new GPI)
"$SCS" show --sa "$T/copy.sa" | grep -qx "binding=copied-or-restored" || fail "show copy"
"$SCS" show --sa "$T/ue1.sa" | grep -qx "binding=ok" || fail "show original"
# 6. an unusable state directory is a clear error, not a silent pass
chmod 644 "$T/host1/host.key"
set +e; "$SCS" trigger --sa "$T/ue1.sa" --payload 0b --port 16001 >/dev/null 2>"$T/err"; rc=$?; set -e
[ $rc -eq 1 ] && grep -q "host.key must be mode 0600" "$T/err" || fail "state perms: $rc $(cat "$T/err")"
chmod 600 "$T/host1/host.key"
trigger 0b 3
echo "scs_sa_bind: all checks passed"
