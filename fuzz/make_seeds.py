#!/usr/bin/env python3
"""Builds the fuzz seed corpora from the project's own files (media/, manifests/, tests/cmd/).

Run from anywhere: python3 fuzz/make_seeds.py. Writes fuzz/corpus/<target>/ (not kept in git).
Never reads /work/shared: seeds come only from files the project makes itself.
"""
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "corpus")


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def media_files():
    for dirpath, _, names in os.walk(os.path.join(ROOT, "media")):
        for n in sorted(names):
            p = os.path.join(dirpath, n)
            with open(p, "rb") as f:
                yield os.path.relpath(p, ROOT).replace(os.sep, "_"), f.read()


def jpeg_segments(b):
    """(marker, payload) of each JPEG marker segment before SOS (ITU T.81 B.1.1.4)."""
    pos = 2
    while pos + 4 <= len(b) and b[pos] == 0xFF:
        marker = b[pos + 1]
        if marker == 0xDA:
            break
        (length,) = struct.unpack(">H", b[pos + 2 : pos + 4])
        yield marker, b[pos + 4 : pos + 2 + length]
        pos += 2 + length


def png_chunks(b):
    pos = 8
    while pos + 8 <= len(b):
        (length,) = struct.unpack(">I", b[pos : pos + 4])
        kind = b[pos + 4 : pos + 8]
        yield kind, b[pos + 8 : pos + 8 + length]
        pos += 12 + length


def main():
    # Whole files: container walking and the image-data hash.
    for name, data in media_files():
        if name.endswith(".md"):
            continue
        put("container", name, data)
        put("imagehash", name, data)
        # The metadata blocks inside them: IRB/IIM from APP13, XMP from APP1 / iTXt.
        if data.startswith(b"\xff\xd8"):
            for marker, payload in jpeg_segments(data):
                if marker == 0xED and payload.startswith(b"Photoshop 3.0\0"):
                    irb = payload[len(b"Photoshop 3.0\0") :]
                    put("iptc", name + ".irb", irb)
                    # The bare IIM of resource 0x0404, when it is first.
                    i = irb.find(b"\x1c\x02")
                    if i >= 0:
                        put("iptc", name + ".iim", irb[i:])
                if marker == 0xE1 and payload.startswith(b"http://ns.adobe.com/xap/1.0/\0"):
                    put("xmp", name + ".xmp", payload[len(b"http://ns.adobe.com/xap/1.0/\0") :])
        if data.startswith(b"\x89PNG"):
            for kind, payload in png_chunks(data):
                if kind == b"iTXt" and payload.startswith(b"XML:com.adobe.xmp\0"):
                    # keyword NUL, compression flag, method, language NUL, translated NUL, text
                    rest = payload[len(b"XML:com.adobe.xmp\0") + 2 :]
                    rest = rest.split(b"\0", 2)[-1]
                    put("xmp", name + ".xmp", rest)

    # Manifests and policies written by the project.
    manifests = []
    for dirpath, _, names in os.walk(os.path.join(ROOT, "manifests")):
        manifests += [os.path.join(dirpath, n) for n in names if n.endswith(".json")]
    manifests.append(os.path.join(ROOT, "tests", "fixtures", "seed-article", "manifest.json"))
    credits = set()
    for p in manifests:
        with open(p, "rb") as f:
            data = f.read()
        put("manifest", os.path.basename(p), data)
        doc = json.loads(data)
        if isinstance(doc.get("policy"), dict):
            put("policy", os.path.basename(p), json.dumps(doc["policy"]))
        for item in doc.get("items", []):
            for key in ("credit", "creditLine"):
                if isinstance(item.get(key), str):
                    credits.add(item[key])
    for n in ("house-policy.json", "policy-typo.json"):
        with open(os.path.join(ROOT, "tests", "cmd", n), "rb") as f:
            put("policy", n, f.read())
    # One policy that uses every key (docs/policy.md), so mutation starts from each branch.
    put("policy", "every-key.json", json.dumps({
        "required": ["caption", "credit", "alt", "creditLine"],
        "severity": {"R004": "off", "credit-style": "info", "M002": "error"},
        "caption": {"min_length": 10, "max_length": 2000},
        "placeholders": ["TK", "caption here"],
        "credit_patterns": ["^[A-Z][a-z]+ [A-Z][a-z]+/(Reuters|AP)$", "(?i)pool"],
        "agencies": ["Reuters", "AP"],
        "unlisted": "warning",
        "ignore": ["sport/**", "*.tmp", "{a,b}/[!c]*.jpg"],
    }))
    # Credit lines from the manifests, plus the house forms docs/rules.md names.
    credits |= {
        "Jane Doe/Reuters", "Reuters/Jane Doe", "Reuters", "Courtesy of the Oban Museum",
        "Jane Doe via Reuters", "Jane Doe for The Times", "Screenshot/YouTube",
        "Handout/Ministry of Defence", "Pool", "(Screenshot/", "(", "© Jane Doe/Reuters",
        "File/AP", "Jane Doe/Reuters; John Roe/AP", "Credit TK", "photo jane doe reuters",
    }
    for i, c in enumerate(sorted(credits)):
        put("credit", f"credit-{i:03}", c)
    # BagIt and checksum files, written here from the media's own bytes
    # (RFC 8493 §2.1.1, §2.1.3; GNU coreutils sha256sum format).
    import hashlib
    lines = []
    for name, data in media_files():
        rel = name.replace("_", "/", 1)
        lines.append(f"{hashlib.sha256(data).hexdigest()}  data/{rel}\n")
    put("bagit_manifest", "manifest-sha256.txt", "".join(lines))
    put("bagit_manifest", "escaped.txt", "0" * 64 + "  data/a%0Ab%25.jpg\r\n" + "f" * 64 + " *data/x y.png\n")
    put("bagit_manifest", "bag-info.txt", "Source-Organization: Northern Wire\nBagging-Date: 2024-05-01\n  continued line\nPayload-Oxum: 123.4\n")
    put("bagit_manifest", "fetch.txt", "https://example.org/a.jpg 1234 data/a.jpg\n- - data/b.jpg\n")
    put("bagit_txt", "bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    put("bagit_txt", "bagit-097.txt", "BagIt-Version: 0.97\r\nTag-File-Character-Encoding: UTF-8\r\n")
    put("sums", "SHA256SUMS", "".join(l.replace("data/", "") for l in lines))
    put("sums", "binary-and-escaped", "\\" + "a" * 64 + " *dir\\nname.jpg\n" + "b" * 64 + "  plain.png\r\n")
    print(f"seeds written to {CORPUS}", file=sys.stderr)


if __name__ == "__main__":
    main()
