#!/usr/bin/env python3
"""validate_json.py - checks JSON documents against the schemas shipped in schemas/.

usage: validate_json.py SCHEMA_DIR FILE...

A privsim document names its schema in its "schema" member ("privsim.check/1" is checked
against SCHEMA_DIR/check-1.schema.json); a SARIF log (a "version": "2.1.0" member) against
sarif-2.1.0-subset.schema.json.  Prints one line per problem; exit 1 if any."""
import json
import os
import sys

import jsonschema


def schema_file(doc, schema_dir):
    if isinstance(doc, dict) and isinstance(doc.get("schema"), str):
        name = doc["schema"]
        if not name.startswith("privsim."):
            return None
        kind, _, ver = name[len("privsim."):].partition("/")
        return os.path.join(schema_dir, f"{kind}-{ver}.schema.json")
    if isinstance(doc, dict) and doc.get("version") == "2.1.0":
        return os.path.join(schema_dir, "sarif-2.1.0-subset.schema.json")
    return None


def valid(path, doc, sf, schema_dir):
    """Validates doc against the schema file sf, and every nested privsim document (an
    element of a "scenarios" array with a "schema" member) against its own schema."""
    with open(sf) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:5]:
        where = "/".join(str(p) for p in e.path)
        print(f"{path}: {os.path.basename(sf)}: at /{where}: {e.message[:300]}")
    ok = not errors
    for i, sub in enumerate(doc.get("scenarios", []) if isinstance(doc, dict) else []):
        if isinstance(sub, dict) and "schema" in sub:
            ok = valid(f"{path}/scenarios/{i}", sub, schema_file(sub, schema_dir), schema_dir) and ok
    return ok


def main(argv):
    schema_dir, files = argv[1], argv[2:]
    bad = 0
    for path in files:
        try:
            with open(path, "rb") as f:
                raw = f.read()
            doc = json.loads(raw.decode("utf-8"))
        except (OSError, ValueError) as e:
            print(f"{path}: not a JSON document: {e}")
            bad += 1
            continue
        sf = schema_file(doc, schema_dir)
        if not sf or not os.path.exists(sf):
            print(f"{path}: no schema for this document ({sf})")
            bad += 1
            continue
        bad += not valid(path, doc, sf, schema_dir)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
