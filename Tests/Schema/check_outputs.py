#!/usr/bin/env python3
"""Validates vpnform's JSON outputs (state files, saved or printed plans) against their schema.

Usage: check_outputs.py SCHEMA FILE [FILE ...]

  check_outputs.py schemas/state.schema.json examples/quickstart.state.json
  check_outputs.py schemas/plan.schema.json plan.json          # from `vpnform plan --json > plan.json`

1. Every *.schema.json schema in SCHEMA's folder and in the repository's schemas/ folder is loaded and
   checked as a JSON Schema draft 2020-12 schema, and every `$ref` in them must resolve. The
   schemas refer to each other by file name (plan.schema.json -> state.schema.json ->
   vpnform.schema.json); those references are resolved offline, from these files only: each is
   registered under its `$id`, its file name and its file:// URI, and nothing is fetched. If a
   schema fails, no FILE is validated.
2. Each FILE is read as strict JSON (a duplicate object key, NaN or Infinity is a failure, as it is
   for vpnform's own reader) and validated against SCHEMA.

Prints one line per file (schemas first) and a closing line `N passed, N failed`; exits 1 on any
failure, 64 on a usage error. Needs jsonschema >= 4.18 (pip install jsonschema), which brings
`referencing`.
"""

import json
import sys
from pathlib import Path

try:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError, best_match
    from referencing import Registry, Resource
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012
except ImportError as error:  # pragma: no cover - environment problem
    sys.exit(f"check_outputs.py needs jsonschema >= 4.18 (with referencing): {error}")

REPO_SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
MAX_ERRORS = 5


class DataError(Exception):
    """The file is not strict JSON."""


def strict_object(pairs):
    """object_pairs_hook that rejects duplicate keys."""
    result = {}
    for key, value in pairs:
        if key in result:
            raise DataError(f"duplicate key {key!r}")
        result[key] = value
    return result


def reject_constant(name):
    raise DataError(f"{name} is not JSON")


def load_json(path):
    """Parses a file as strict JSON; raises DataError (or OSError)."""
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text, object_pairs_hook=strict_object, parse_constant=reject_constant)
    except json.JSONDecodeError as error:
        raise DataError(f"invalid JSON: {error}") from error


def schema_files(main_schema):
    """The schema files to register: the repository's schemas/, then SCHEMA's folder and SCHEMA
    itself, so that where two share a file name (a schema being edited elsewhere) SCHEMA's side wins."""
    folder = main_schema.resolve().parent
    files = []
    if folder != REPO_SCHEMAS:
        files += sorted(p.resolve() for p in REPO_SCHEMAS.glob("*.schema.json"))
    files += sorted(p.resolve() for p in folder.glob("*.schema.json"))
    return [p for p in files if p != main_schema.resolve()] + [main_schema.resolve()]


def shown(path):
    """A path as the user would write it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def uris_of(path, contents):
    """Every URI a reference may use for this schema file."""
    uris = {path.name, path.as_uri()}
    if isinstance(contents, dict) and isinstance(contents.get("$id"), str):
        uris.add(contents["$id"])
    return uris


def refs_in(node, root=True):
    """Every `$ref` value in a schema, not counting the schemas bundled into it (a subschema with
    an `$id` of its own: a copy of another file, whose references are checked in that file)."""
    if isinstance(node, dict):
        if not root and "$id" in node:
            return
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs_in(value, False)
    elif isinstance(node, list):
        for item in node:
            yield from refs_in(item, False)


def required_names(schema):
    """The property names a `not` subschema forbids: every `required` entry inside it."""
    names = []
    if isinstance(schema, dict):
        names += [n for n in schema.get("required", []) if isinstance(n, str)]
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in schema.get(key, []):
                names += required_names(sub)
    return names


def describe(error):
    """One line for a validation error: the instance path and the message, shortened."""
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    message = " ".join(error.message.split())
    if error.validator == "not" and isinstance(error.instance, dict):
        # The default message repeats the whole instance; say which key is not allowed instead.
        present = [n for n in required_names(error.validator_value) if n in error.instance]
        if present:
            verb = "are" if len(present) > 1 else "is"
            message = f"{', '.join(repr(n) for n in present)} {verb} not allowed here"
            if isinstance(error.instance.get("action"), str):
                message += f" (action {error.instance['action']})"
    if len(message) > 160:
        message = message[:157] + "..."
    return f"${where}: {message}"


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 64

    passed = failed = 0

    def report(ok, name, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")

    def finish():
        print(f"{passed} passed, {failed} failed")
        return 1 if failed else 0

    main_schema = Path(argv[1])
    if not main_schema.is_file():
        report(False, argv[1], "no such schema file")
        return finish()

    # 1. Load, check and register every schema; then make sure every $ref in them resolves.
    registry = Registry()
    loaded = {}
    for path in schema_files(main_schema):
        try:
            contents = load_json(path)
            Draft202012Validator.check_schema(contents)
        except (OSError, DataError, SchemaError) as error:
            report(False, shown(path), " ".join(str(error).split())[:300])
            continue
        loaded[path] = contents
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        registry = registry.with_resources((uri, resource) for uri in uris_of(path, contents))
    registry = registry.crawl()
    for path, contents in loaded.items():
        base = contents.get("$id", path.name) if isinstance(contents, dict) else path.name
        resolver = registry.resolver(base_uri=base)
        broken = []
        for ref in sorted(set(refs_in(contents))):
            try:
                resolver.lookup(ref)
            except Unresolvable:
                broken.append(ref)
        if broken:
            report(False, shown(path), "unresolvable $ref: " + ", ".join(broken[:MAX_ERRORS]))
        else:
            report(True, shown(path), "valid JSON Schema draft 2020-12, every $ref resolves")
    if failed:  # validating against a broken set of schemas would only add noise
        return finish()

    # 2. Validate each file against SCHEMA.
    validator = Draft202012Validator(loaded[main_schema.resolve()], registry=registry)
    for name in argv[2:]:
        try:
            data = load_json(Path(name))
        except (OSError, UnicodeDecodeError, DataError) as error:
            report(False, name, " ".join(str(error).split())[:300])
            continue
        try:
            errors = sorted(validator.iter_errors(data), key=describe)
        except Exception as error:  # noqa: BLE001 - e.g. a $ref only reached by this data
            report(False, name, f"cannot validate: {' '.join(str(error).split())[:300]}")
            continue
        if not errors:
            report(True, name, "valid")
            continue
        # The most relevant error first (best_match may pick one from inside an anyOf), then the
        # others, each line once.
        lines = [describe(best_match(errors))]
        for line in map(describe, errors):
            if line not in lines:
                lines.append(line)
        more = len(lines) - MAX_ERRORS
        report(False, name, "; ".join(lines[:MAX_ERRORS]) + (f"; and {more} more" if more > 0 else ""))
    return finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
