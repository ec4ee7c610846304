#!/usr/bin/env python3
"""Checks schemas/vpnform.schema.json against the examples and the invalid fixtures.

Usage: check_schema.py [REPO_ROOT]   (default: two levels above this script)

1. The schema must be a valid JSON Schema draft 2020-12 schema.
2. Every examples/*.yaml must validate.
3. Every Tests/VPNFormTests/Fixtures/invalid/*.yaml is checked as its header says:
     # schema: rejects   the schema must reject it
     # schema: accepts   the schema must accept it (the rule is beyond what JSON Schema can say,
                         and only `vpnform validate` catches it)
     # schema: skip      not checked (syntax errors and other YAML-level problems)
   Fixtures carry position markers such as 1️⃣; they are removed before parsing.

The YAML is turned into JSON the way vpnform reads it: PyYAML's safe loader, but with the
YAML 1.2 core schema instead of YAML 1.1 (only plain true/false are booleans, so `yes` and
`on` stay strings; no timestamps, no `<<` merge keys; plain integers are integers, quoted
scalars strings) and mapping keys taken as written. Duplicate mapping keys, non-scalar keys,
values JSON has no equivalent for (explicit !!binary, !!timestamp or !!set, NaN, infinity)
and more than a million nodes after alias expansion make the check of that file fail with a
message.

Prints one line per file and a closing line `N passed, N failed`; exits 1 on any failure.
Needs PyYAML and jsonschema (pip install pyyaml jsonschema).
"""

import datetime
import json
import math
import re
import sys
from pathlib import Path

try:
    import yaml
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError, best_match
except ImportError as error:  # pragma: no cover - environment problem
    sys.exit(f"check_schema.py needs PyYAML and jsonschema: {error}")

SCHEMA = Path("schemas/vpnform.schema.json")
EXAMPLES = Path("examples")
INVALID = Path("Tests/VPNFormTests/Fixtures/invalid")

# Keycap markers: a digit, VARIATION SELECTOR-16, COMBINING ENCLOSING KEYCAP (1️⃣ … 9️⃣, 0️⃣).
MARKER = re.compile("[0-9#*]\uFE0F?\u20E3")
HEADER = re.compile(r"^#\s*schema:\s*(\S+)\s*$")
EXPECTATIONS = {"rejects", "accepts", "skip"}


class DataError(Exception):
    """The file cannot be turned into JSON-compatible data."""


class CoreSchemaLoader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core-schema scalars, keys as written, no duplicate keys."""

    # Start from no implicit resolvers at all, then add the core schema's (in this order: a plain
    # scalar that matches the int pattern is an int, not a float).
    yaml_implicit_resolvers = {}

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        result = {}
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            if not isinstance(key_node, yaml.ScalarNode):
                raise DataError(f"a mapping key at {mark.line + 1}:{mark.column + 1} is not a scalar")
            key = key_node.value  # vpnform reads keys as text, whatever they would resolve to
            if key in result:
                raise DataError(f"duplicate key {key!r} at {mark.line + 1}:{mark.column + 1}")
            result[key] = self.construct_object(value_node, deep=deep)
        return result

    def construct_core_int(self, node):
        text = self.construct_scalar(node)
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)

    def construct_core_float(self, node):
        text = self.construct_scalar(node)
        special = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
        return special[text.lower()] if text.lower() in special else float(text)


CoreSchemaLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
CoreSchemaLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
CoreSchemaLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
CoreSchemaLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))
CoreSchemaLoader.add_constructor("tag:yaml.org,2002:int", CoreSchemaLoader.construct_core_int)
CoreSchemaLoader.add_constructor("tag:yaml.org,2002:float", CoreSchemaLoader.construct_core_float)


NODE_BUDGET = 1_000_000  # aliases share objects; expanding a bomb must stop somewhere


def to_json(value, path="$", budget=None):
    """Returns value unchanged if it is JSON-compatible, else raises DataError."""
    budget = budget if budget is not None else [NODE_BUDGET]
    budget[0] -= 1
    if budget[0] < 0:
        raise DataError(f"more than {NODE_BUDGET} nodes after alias expansion")
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DataError(f"{path}: {value} has no JSON equivalent")
        return value
    if isinstance(value, list):
        for index, item in enumerate(value):
            to_json(item, f"{path}[{index}]", budget)
        return value
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise DataError(f"{path}: mapping key {key!r} ({type(key).__name__}) is not a string")
            to_json(item, f"{path}.{key}", budget)
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        kind = "timestamp"
    else:
        kind = type(value).__name__
    raise DataError(f"{path}: {value!r} ({kind}) has no JSON equivalent")


def load(path):
    """Reads a YAML file (markers removed) into JSON-compatible data; raises DataError."""
    text = MARKER.sub("", path.read_text(encoding="utf-8"))
    try:
        data = yaml.load(text, Loader=CoreSchemaLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise DataError("YAML error: " + " ".join(str(error).split())) from error
    return to_json(data)


def expectation(path):
    """The `# schema:` value from the file's leading comment block, or None."""
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = HEADER.match(stripped)
        if match:
            return match.group(1)
    return None


def describe(error):
    """One line for a validation error: the instance path and the message, shortened."""
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    message = " ".join(error.message.split())
    if len(message) > 160:
        message = message[:157] + "..."
    return f"${where}: {message}"


def main(argv):
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[2]
    passed = failed = 0

    def report(ok, name, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")

    schema_path = root / SCHEMA
    try:
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, SchemaError) as error:
        report(False, str(SCHEMA), " ".join(str(error).split())[:300])
        print(f"{passed} passed, {failed} failed")
        return 1
    report(True, str(SCHEMA), "valid JSON Schema draft 2020-12")
    validator = Draft202012Validator(schema)

    examples = sorted((root / EXAMPLES).glob("*.yaml"))
    if not examples:
        report(False, str(EXAMPLES), "no *.yaml files found")
    for path in examples:
        name = str(path.relative_to(root))
        try:
            data = load(path)
        except DataError as error:
            report(False, name, str(error))
            continue
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        if errors:
            report(False, name, "; ".join(describe(e) for e in errors[:5])
                   + (f"; and {len(errors) - 5} more" if len(errors) > 5 else ""))
        else:
            report(True, name, "valid")

    for path in sorted((root / INVALID).glob("*.yaml")):
        name = str(path.relative_to(root))
        expected = expectation(path)
        if expected == "skip":
            print(f"skip {name}")
            continue
        if expected not in EXPECTATIONS:
            report(False, name, "header needs a line `# schema: rejects|accepts|skip`"
                   + (f", got {expected!r}" if expected else ""))
            continue
        try:
            data = load(path)
        except DataError as error:
            report(False, name, f"{error} (mark the fixture `# schema: skip`?)")
            continue
        error = best_match(validator.iter_errors(data))
        if expected == "rejects":
            if error is None:
                report(False, name, "expected the schema to reject it, but it validates")
            else:
                report(True, name, f"rejected ({describe(error)})")
        else:
            if error is None:
                report(True, name, "accepted (the rule is left to vpnform validate)")
            else:
                report(False, name, f"expected the schema to accept it, but: {describe(error)}")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
