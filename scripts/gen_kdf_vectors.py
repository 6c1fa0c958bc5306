#!/usr/bin/env python3
"""Generate vectors/gba_naf_keys.txt and vectors/kdf_ts33220.txt.

The expected values come from Python's hmac/hashlib with S built by hand from
the TS 33.220 Annex B.2 formula; nothing here calls gbapush code.  Run from the
repository root: python3 scripts/gen_kdf_vectors.py
"""
import hashlib
import hmac


def kdf(key, fc, params):
    s = fc
    for p in params:
        s += p + len(p).to_bytes(2, 'big')
    return hmac.new(key, s, hashlib.sha256).digest()


NAF_HDR = """# GBA NAF key derivation test data of the gbapush project (NOT from a 3GPP document:
# no official GBA/GBA_U test data exists, see vectors/README.md).
# Ks_NAF (= Ks_ext_NAF) = KDF(Ks, "gba-me", RAND, IMPI, NAF_Id), Ks_int_NAF = KDF(Ks, "gba-u", ...)
# per TS 33.220 Annex B.2/B.3, FC = 0x01, Ks = CK || IK, NAF_Id = FQDN || Ua security protocol id.
# Expected values: scripts/gen_kdf_vectors.py (Python 3 hmac + hashlib, S built by hand from
# the B.2 formula; no gbapush code involved).  Set 1 is the example of docs/spec-facts.md
# section 7, computed there with another independent HMAC-SHA-256; it agrees.
# Sets 2-4 take CK, IK and RAND from TS 35.208 test sets 1, 3 and 19, so the chain
# K/OPc -> CK/IK -> Ks_NAF rests on 3GPP data up to the KDF step.
# Fields: ck, ik, rand; impi and naf_fqdn are hex of ASCII text; ua_id; ks_naf, ks_int_naf.
"""

NAF_SETS = [
    (bytes(range(16)), bytes(range(16, 32)), bytes(range(0xa0, 0xb0)),
     b'001010000000001@ims.mnc001.mcc001.3gppnetwork.org', b'naf.example.com',
     bytes([1, 0, 0, 0, 2])),
    (bytes.fromhex('b40ba9a3c58b2a05bbf0d987b21bf8cb'),
     bytes.fromhex('f769bcd751044604127672711c6d3441'),
     bytes.fromhex('23553cbe9637a89d218ae64dae47bf35'),
     b'234150999999999@ims.mnc015.mcc234.3gppnetwork.org', b'scs.iot.example.net',
     bytes([1, 0, 0, 0, 5])),
    (bytes.fromhex('5dbdbb2954e8f3cde665b046179a5098'),
     bytes.fromhex('59a92d3b476a0443487055cf88b2307b'),
     bytes.fromhex('9f7c8d021accf4db213ccff0c7f71a6a'),
     b'user@operator.example', b'a.b', bytes([0xff, 0x12, 0x34, 0x56, 0x78])),
    (bytes.fromhex('5349fbe098649f948f5d2e973a81c00f'),
     bytes.fromhex('9744871ad32bf9bbd1dd5ce54e3e2e5a'),
     bytes.fromhex('81e92b6c0ee0e12ebceba8d92a99dfa5'),
     b'310150123456789@ims.mnc150.mcc310.3gppnetwork.org',
     b'push-naf.operator.example.org', bytes([1, 0, 0, 0, 5])),
]

KDF_HDR = """# Generic TS 33.220 Annex B.2 KDF test data of the gbapush project (NOT from a 3GPP
# document).  S = FC || P0 || L0 || ... || Pn || Ln, out = HMAC-SHA-256(key, S).
# Expected values: scripts/gen_kdf_vectors.py (Python 3 hmac + hashlib, no gbapush code).
# They exercise a two-octet FC (ff xx), lengths above 255 (two-octet Li with a non-zero
# high octet) and empty parameters.  Fields: key, fc (1 or 2 octets), p0..pN, out.
"""

KDF_SETS = [
    (bytes(range(32)), b'\xff\x45', [b'abc', b'\x5a' * 300, b'']),
    (bytes([0x11] * 16), b'\x6a', [bytes(range(256)) * 2]),
    (bytes(range(32)), b'\x01', [b'gba-me']),
    (b'\x00' * 32, b'\xff\x00', []),
]


def main():
    out = NAF_HDR
    for i, (ck, ik, rnd, impi, fqdn, ua) in enumerate(NAF_SETS, 1):
        ks = ck + ik
        naf = fqdn + ua
        me = kdf(ks, b'\x01', [b'gba-me', rnd, impi, naf])
        u = kdf(ks, b'\x01', [b'gba-u', rnd, impi, naf])
        out += (f"\n[set {i}]\nck = {ck.hex()}\nik = {ik.hex()}\nrand = {rnd.hex()}\n"
                f"impi = {impi.hex()}\nnaf_fqdn = {fqdn.hex()}\nua_id = {ua.hex()}\n"
                f"ks_naf = {me.hex()}\nks_int_naf = {u.hex()}\n")
    with open('vectors/gba_naf_keys.txt', 'w') as f:
        f.write(out)
    out = KDF_HDR
    for i, (key, fc, params) in enumerate(KDF_SETS, 1):
        out += f"\n[set {i}]\nkey = {key.hex()}\nfc = {fc.hex()}\n"
        for j, p in enumerate(params):
            out += f"p{j} = {p.hex()}\n"
        out += f"out = {kdf(key, fc, params).hex()}\n"
    with open('vectors/kdf_ts33220.txt', 'w') as f:
        f.write(out)


if __name__ == '__main__':
    main()
