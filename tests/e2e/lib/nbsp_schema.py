#!/usr/bin/python3
"""Validate a JSON file against one definition of
tests/e2e/schema/nbsp_gba.schema.json (Debian python3-jsonschema).

usage: nbsp_schema.py DEFINITION FILE   exit 0 valid, 1 invalid
"""
import json
import os
import sys

import jsonschema

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "schema", "nbsp_gba.schema.json")) as f:
    schema = json.load(f)
with open(sys.argv[2]) as f:
    body = json.load(f)
sub = {"$ref": "#/definitions/" + sys.argv[1],
       "definitions": schema["definitions"]}
v = jsonschema.Draft7Validator(sub)
errs = sorted(v.iter_errors(body), key=lambda e: list(e.path))
for e in errs:
    print("%s: %s at /%s" % (sys.argv[1], e.message,
                             "/".join(str(p) for p in e.path)),
          file=sys.stderr)
sys.exit(1 if errs else 0)
