"""The SQN of GPIs by an implementation the project did not write: the
Python Milenage of tests/uicc/usim_model.py (SQN = AUTN[0..5] xor AK,
AK = f5(K, RAND), TS 33.102 6.3.2 / TS 35.206).

usage: sqn_oracle.py FILE K_HEX OPC_HEX
FILE: lines "IMPI RAND_HEX AUTN_HEX" (RAND and AUTN from gbatool gpi
decode); prints "IMPI SQN" (decimal) per line.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "uicc"))
from usim_model import Milenage  # noqa: E402

m = Milenage(bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3]))
for line in open(sys.argv[1]):
    impi, rand, autn = line.split()
    ak = m.f2345(bytes.fromhex(rand))[3]
    sqn = bytes(a ^ b for a, b in zip(bytes.fromhex(autn)[:6], ak))
    print(impi, int.from_bytes(sqn, "big"))
