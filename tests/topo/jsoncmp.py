#!/usr/bin/python3
"""Subset JSON comparison for namespace tests (after FRR topotest json_cmp).

usage: jsoncmp.py EXPECTED < actual.json
Every key of EXPECTED must be in the actual document with an equal value
(recursively; lists match element-wise in order, extra actual elements
allowed). A value of null in EXPECTED means "this key must be absent".
Exit 0 on match, 1 with the first difference printed otherwise."""
import json
import sys


def cmp(exp, act, path):
    if isinstance(exp, dict):
        if not isinstance(act, dict):
            return f"{path}: expected an object, got {json.dumps(act)[:80]}"
        for k, v in exp.items():
            if v is None:
                if k in act:
                    return f"{path}.{k}: expected absent, present"
                continue
            if k not in act:
                return f"{path}.{k}: missing"
            r = cmp(v, act[k], f"{path}.{k}")
            if r:
                return r
        return None
    if isinstance(exp, list):
        if not isinstance(act, list) or len(act) < len(exp):
            return f"{path}: expected a list of at least {len(exp)}"
        for i, v in enumerate(exp):
            r = cmp(v, act[i], f"{path}[{i}]")
            if r:
                return r
        return None
    if exp != act:
        return f"{path}: expected {json.dumps(exp)}, got {json.dumps(act)}"
    return None


def main():
    exp = json.loads(sys.argv[1])
    try:
        act = json.load(sys.stdin)
    except json.JSONDecodeError as e:
        print(f"actual output is not JSON: {e}")
        return 1
    r = cmp(exp, act, "$")
    if r:
        print(r)
        return 1
    return 0


sys.exit(main())
