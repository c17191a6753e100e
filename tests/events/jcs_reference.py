#!/usr/bin/env python3
"""An auditor's check of a mentorlog export, written independently of the C++
code: RFC 8785 canonical JSON from the RFC's text, SHA-256 from hashlib.

usage: jcs_reference.py EXPORT.jsonl   (or a program to run: jcs_reference.py --run PROGRAM)
Checks, for every line: the line is the canonical form of its own JSON; `hash` is
the SHA-256 of the canonical envelope without `hash`; `prev_hash` is the previous
line's `hash` (64 zeros first); positions count up from the first line's.
"""
import decimal
import hashlib
import json
import subprocess
import sys


def es_number(x):
    """ECMAScript Number::toString, which RFC 8785 section 3.2.2.3 requires."""
    if isinstance(x, int):
        if abs(x) > 2**53 - 1:
            raise ValueError("integer outside the exact double range")
        return str(x)
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError("non-finite number")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    # repr gives the shortest digits that round-trip, as ECMAScript does.
    _, digit_tuple, exponent = decimal.Decimal(repr(abs(x))).as_tuple()
    all_digits = "".join(map(str, digit_tuple)).lstrip("0")
    digits = all_digits.rstrip("0")
    exponent += len(all_digits) - len(digits)  # value = int(digits) * 10**exponent
    k = len(digits)
    n = k + exponent  # value = 0.digits * 10**n
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return sign + mantissa + "e" + ("+" if e >= 0 else "-") + str(abs(e))


SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def es_string(s):
    out = ['"']
    for ch in s:
        if ch in SHORT_ESCAPES:
            out.append(SHORT_ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def canonical(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return es_number(v)
    if isinstance(v, str):
        return es_string(v)
    if isinstance(v, list):
        return "[" + ",".join(canonical(item) for item in v) + "]"
    if isinstance(v, dict):
        # Names sort by their UTF-16 code units (RFC 8785 section 3.2.3).
        names = sorted(v, key=lambda name: name.encode("utf-16-be"))
        return "{" + ",".join(es_string(n) + ":" + canonical(v[n]) for n in names) + "}"
    raise TypeError(type(v))


def check(lines):
    prev = "0" * 64
    position = None
    for number, line in enumerate(lines, 1):
        envelope = json.loads(line)
        if canonical(envelope) != line:
            return f"line {number}: not in canonical form"
        stored = envelope.pop("hash")
        computed = hashlib.sha256(canonical(envelope).encode("utf-8")).hexdigest()
        if computed != stored:
            return f"line {number}: hash {stored} but the envelope hashes to {computed}"
        if envelope["prev_hash"] != prev:
            return f"line {number}: prev_hash does not link to the line before"
        if position is not None and envelope["position"] != position + 1:
            return f"line {number}: position {envelope['position']} after {position}"
        position = envelope["position"]
        prev = stored
    return None


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--run":
        text = subprocess.run([sys.argv[2]], check=True, capture_output=True).stdout.decode("utf-8")
    else:
        with open(sys.argv[1], encoding="utf-8") as f:
            text = f.read()
    lines = [line for line in text.split("\n") if line]
    problem = check(lines)
    if problem:
        print(problem)
        print("0 passed, 1 failed")
        return 1
    print(f"{len(lines)} envelopes: canonical form, hashes and chain agree with the reference")
    return 0 if lines else 1


if __name__ == "__main__":
    sys.exit(main())
