#!/usr/bin/env python3
"""Bundles the schemas each of schemas/state.schema.json and plan.schema.json refers to into itself.

Usage: python3 Tests/Schema/bundle_schemas.py [--check]

The schemas have absolute `$id`s (under the reserved `.invalid` domain: identifiers, never
locations) and refer to each other by relative `$ref`s (state -> vpnform, plan -> state). So that
those references resolve offline, from any folder and in any validator, each schema that refers
to another carries a copy of it under `$defs` (a JSON Schema 2020-12 compound document: the copy
keeps its `$id`, so the `$ref`s find it without fetching anything). This script writes those
copies from the files themselves; `--check` only says whether they are up to date (CI runs it).
"""
import json
import sys
from pathlib import Path

SCHEMAS = Path("schemas")
# Which schema carries a copy of which: plan's copy of state carries state's copy of vpnform.
BUNDLES = [("state.schema.json", "vpnform.schema.json"), ("plan.schema.json", "state.schema.json")]
KEY = "bundled: {}"


def load(name):
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def render(schema):
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv):
    check = "--check" in argv[1:]
    stale = []
    for outer, inner in BUNDLES:
        schema = load(outer)
        defs = schema.setdefault("$defs", {})
        defs[KEY.format(inner)] = load(inner)
        text = render(schema)
        path = SCHEMAS / outer
        if path.read_text(encoding="utf-8") != text:
            if check:
                stale.append(str(path))
            else:
                path.write_text(text, encoding="utf-8")
                print(f"bundled {inner} into {path}")
    if stale:
        print(f"error: {', '.join(stale)}: bundled copies are out of date; run python3 {argv[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
