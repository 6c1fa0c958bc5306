#!/usr/bin/env python3
# sqn_oracle.py RA_FILE K OPC - the SQN of each AV from its AUTN, by an
# implementation the project did not write (the Python Milenage of
# tests/uicc/usim_model.py): SQN = AUTN[0..5] xor AK, AK = f5(K, RAND)
# (TS 33.102 6.3.2).  Input lines "ID RAND AUTN" (hex), output "ID SQN"
# (decimal).  Used by the e2e tests that count SQNs (tests/e2e/*_pg.sh).
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "uicc"))
from usim_model import Milenage  # noqa: E402

m = Milenage(bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3]))
for line in open(sys.argv[1]):
    ident, rand, autn = line.split()
    ak = m.f2345(bytes.fromhex(rand))[3]
    sqn = bytes(a ^ b for a, b in zip(bytes.fromhex(autn)[:6], ak))
    print(ident, int.from_bytes(sqn, "big"))
