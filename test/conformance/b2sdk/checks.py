"""Conformance checks: Debian's official b2sdk (a real third-party client) against the mediaferry B2 emulator.

Usage: checks.py '{"url": ..., "keyId": ..., "key": ...}'. Prints one line per check (PASS/FAIL name) and a
final JSON line {"passed": N, "failed": N}.
"""
import hashlib
import io
import json
import os
import sys
import tempfile
import traceback

from b2sdk.v2 import B2Api, InMemoryAccountInfo

endpoint = json.loads(sys.argv[1])
info = InMemoryAccountInfo()
api = B2Api(info)
results = {"passed": 0, "failed": 0}
state = {}


def check(name):
    def run(fn):
        try:
            fn()
            results["passed"] += 1
            print(f"PASS {name}", flush=True)
        except Exception:  # noqa: BLE001 - every failure is a failed check
            results["failed"] += 1
            print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
        return fn
    return run


def payload(size, seed):
    block = hashlib.sha256(seed.encode()).digest() * (size // 32 + 1)
    return block[:size]


@check("authorize with a custom realm")
def _():
    api.authorize_account(endpoint["url"], endpoint["keyId"], endpoint["key"])
    assert info.get_account_id()
    assert info.get_recommended_part_size() > 0


@check("create bucket, list buckets")
def _():
    bucket = api.create_bucket("conformance-b2sdk", "allPrivate")
    state["bucket"] = bucket
    names = [b.name for b in api.list_buckets()]
    assert "conformance-b2sdk" in names, names


@check("duplicate bucket name is refused")
def _():
    from b2sdk.v2.exception import DuplicateBucketName
    try:
        api.create_bucket("conformance-b2sdk", "allPrivate")
    except DuplicateBucketName:
        return
    raise AssertionError("no DuplicateBucketName")


@check("small upload with file info, then download by name matches")
def _():
    data = payload(100_000, "small")
    version = state["bucket"].upload_bytes(data, "dir/small file+plus ü.bin", file_infos={"author": "ferry ✓"})
    state["small"] = version
    assert version.content_sha1 == hashlib.sha1(data).hexdigest()
    out = io.BytesIO()
    state["bucket"].download_file_by_name("dir/small file+plus ü.bin").save(out)
    assert out.getvalue() == data
    downloaded = state["bucket"].download_file_by_id(version.id_)
    out2 = io.BytesIO()
    downloaded.save(out2)
    assert out2.getvalue() == data
    assert downloaded.download_version.file_info.get("author") == "ferry ✓", downloaded.download_version.file_info


@check("large file upload through b2sdk's own large-file path")
def _():
    size = 13_000_000
    data = payload(size, "large")
    with tempfile.NamedTemporaryFile(delete=False) as handle:
        handle.write(data)
        path = handle.name
    try:
        version = state["bucket"].upload_local_file(path, "big/large.bin", min_part_size=5_000_000)
    finally:
        os.unlink(path)
    assert version.size == size, version.size
    out = io.BytesIO()
    state["bucket"].download_file_by_name("big/large.bin").save(out)
    assert hashlib.sha1(out.getvalue()).hexdigest() == hashlib.sha1(data).hexdigest()


@check("list file names and versions, with folders")
def _():
    names = [fv.file_name for fv, _ in state["bucket"].ls(recursive=True)]
    assert "dir/small file+plus ü.bin" in names and "big/large.bin" in names, names
    top = [folder for _, folder in state["bucket"].ls()]
    assert "dir/" in top and "big/" in top, top


@check("hide a file, then it is gone from names but not from versions")
def _():
    state["bucket"].hide_file("dir/small file+plus ü.bin")
    names = [fv.file_name for fv, _ in state["bucket"].ls(recursive=True)]
    assert "dir/small file+plus ü.bin" not in names
    versions = [fv.action for fv, _ in state["bucket"].ls(recursive=True, latest_only=False) if fv.file_name == "dir/small file+plus ü.bin"]
    assert versions == ["hide", "upload"], versions


@check("ranged download")
def _():
    out = io.BytesIO()
    state["bucket"].download_file_by_name("big/large.bin", range_=(10, 19)).save(out)
    assert out.getvalue() == payload(13_000_000, "large")[10:20]


@check("server-side copy")
def _():
    source = state["bucket"].get_file_info_by_name("big/large.bin")
    copied = state["bucket"].copy(source.id_, "copies/large-copy.bin", length=source.size)
    out = io.BytesIO()
    state["bucket"].download_file_by_id(copied.id_).save(out)
    assert len(out.getvalue()) == 13_000_000


@check("application keys: create, list, delete")
def _():
    key = api.create_key(["listFiles", "readFiles"], "conformance-key", bucket_id=state["bucket"].id_)
    ids = [k.id_ for k in api.list_keys()]
    assert key.id_ in ids
    api.delete_key(key)
    assert key.id_ not in [k.id_ for k in api.list_keys()]


@check("download authorization for a private bucket")
def _():
    token = state["bucket"].get_download_authorization("big/", 60)
    assert token


@check("delete every version, then the bucket")
def _():
    for fv, _ in state["bucket"].ls(recursive=True, latest_only=False):
        api.delete_file_version(fv.id_, fv.file_name)
    api.delete_bucket(state["bucket"])
    assert "conformance-b2sdk" not in [b.name for b in api.list_buckets()]


print(json.dumps(results))
sys.exit(0 if results["failed"] == 0 else 1)
