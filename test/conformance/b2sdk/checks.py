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
import time
import traceback

from b2sdk.v2 import (
    SSE_B2_AES,
    B2Api,
    BucketRetentionSetting,
    EncryptionAlgorithm,
    EncryptionKey,
    EncryptionMode,
    EncryptionSetting,
    FileRetentionSetting,
    InMemoryAccountInfo,
    LegalHold,
    RetentionMode,
    RetentionPeriod,
)
from b2sdk.v2.exception import AccessDenied, B2Error, BadRequest, SSECKeyError

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


def read_back(download):
    out = io.BytesIO()
    download.save(out)
    return out.getvalue()


@check("versions of one name uploaded back to back: newest first, latest by name, HEAD by name")
def _():
    bucket = state["bucket"]
    # Back to back, most of them share an upload second (B2 keeps whole seconds): the order must not care.
    contents = [b"first", b"second", b"third", b"fourth", b"fifth"]
    uploaded = [bucket.upload_bytes(content, "same/x.txt") for content in contents]
    versions = [fv for fv, _ in bucket.ls("same/", recursive=True, latest_only=False)]
    assert [fv.id_ for fv in versions] == [v.id_ for v in reversed(uploaded)], [fv.id_ for fv in versions]
    latest = [fv.id_ for fv, _ in bucket.ls("same/", recursive=True)]
    assert latest == [uploaded[-1].id_], latest
    assert read_back(bucket.download_file_by_name("same/x.txt")) == b"fifth"
    assert bucket.get_file_info_by_name("same/x.txt").id_ == uploaded[-1].id_


@check("download headers: no Cache-Control without b2-* infos; each b2-* info as its real header")
def _():
    bucket = state["bucket"]
    bucket.upload_bytes(b"plain", "headers/plain.txt", file_infos={"team": "ferry"})
    plain = bucket.download_file_by_name("headers/plain.txt").download_version
    # b2sdk 1.17 keeps Cache-Control and Expires unparsed, in fields of its own.
    assert plain._cache_control is None and plain.content_disposition is None, plain._get_args_for_clone()
    assert plain.file_info == {"team": "ferry"}, plain.file_info
    infos = {
        "b2-content-disposition": 'attachment; filename="clip.txt"',
        "b2-content-language": "fr-CA",
        "b2-expires": "Thu, 01 Dec 2039 16:00:00 GMT",
        "b2-cache-control": "max-age=3600",
        "b2-content-encoding": "identity",
        "team": "ferry",
    }
    bucket.upload_bytes(b"dressed", "headers/dressed.txt", file_infos=infos)
    for version in (
        bucket.download_file_by_name("headers/dressed.txt").download_version,
        bucket.get_file_info_by_name("headers/dressed.txt"),
    ):
        assert version.content_disposition == 'attachment; filename="clip.txt"', version._get_args_for_clone()
        assert version.content_language == "fr-CA"
        assert version._expires == "Thu, 01 Dec 2039 16:00:00 GMT"
        assert version._cache_control == "max-age=3600"
        assert version.content_encoding == "identity"
        # b2-* infos come back as headers only, never also as X-Bz-Info-b2-*.
        assert version.file_info == {"team": "ferry"}, version.file_info


@check("File Lock: legal hold and governance retention refuse deletes until lifted; bucket default retention")
def _():
    plain_file = state["bucket"].upload_bytes(b"plain", "lock/plain.txt")
    try:
        api.update_file_legal_hold(plain_file.id_, plain_file.file_name, LegalHold.ON)
        raise AssertionError("legal hold accepted on a bucket without File Lock")
    except BadRequest as error:
        assert error.code == "bucket_missing_file_lock", error.code
    bucket = api.create_bucket("conformance-lock", "allPrivate", is_file_lock_enabled=True)
    assert bucket.is_file_lock_enabled is True
    until = int(time.time() * 1000) + 86_400_000
    version = bucket.upload_bytes(
        b"keep me",
        "kept.txt",
        file_retention=FileRetentionSetting(RetentionMode.GOVERNANCE, until),
        legal_hold=LegalHold.ON,
    )
    assert version.file_retention == FileRetentionSetting(RetentionMode.GOVERNANCE, until), version.file_retention
    assert version.legal_hold is LegalHold.ON
    by_head = bucket.get_file_info_by_name("kept.txt")
    assert by_head.file_retention == FileRetentionSetting(RetentionMode.GOVERNANCE, until), by_head.file_retention
    assert by_head.legal_hold is LegalHold.ON
    for lifted in ("legal hold", "retention"):
        try:
            api.delete_file_version(version.id_, version.file_name)
            raise AssertionError(f"deleted while the {lifted} was on")
        except AccessDenied:
            pass
        if lifted == "legal hold":
            api.update_file_legal_hold(version.id_, version.file_name, LegalHold.OFF)
        else:
            api.update_file_retention(
                version.id_, version.file_name, FileRetentionSetting(RetentionMode.NONE), bypass_governance=True
            )
    api.delete_file_version(version.id_, version.file_name)
    bucket.update(default_retention=BucketRetentionSetting(RetentionMode.GOVERNANCE, RetentionPeriod(days=1)))
    defaulted = bucket.upload_bytes(b"by default", "default.txt")
    info = bucket.get_file_info_by_id(defaulted.id_)
    assert info.file_retention.mode is RetentionMode.GOVERNANCE, info.file_retention
    assert info.file_retention.retain_until == defaulted.upload_timestamp + 86_400_000, info.file_retention


@check("SSE-B2: bucket default and per file, round trip with the encryption reported")
def _():
    bucket = api.create_bucket("conformance-sse", "allPrivate", default_server_side_encryption=SSE_B2_AES)
    assert bucket.default_server_side_encryption == SSE_B2_AES, bucket.default_server_side_encryption
    version = bucket.upload_bytes(b"encrypted at rest", "sse-b2.txt")
    assert version.server_side_encryption == SSE_B2_AES, version.server_side_encryption
    download = bucket.download_file_by_id(version.id_)
    assert read_back(download) == b"encrypted at rest"
    assert download.download_version.server_side_encryption == SSE_B2_AES
    asked = state["bucket"].upload_bytes(b"asked", "sse/asked.txt", encryption=SSE_B2_AES)
    assert asked.server_side_encryption == SSE_B2_AES


@check("SSE-C: small and large files round trip with the key; no key or a wrong key is refused")
def _():
    bucket = state["bucket"]
    key = EncryptionSetting(EncryptionMode.SSE_C, EncryptionAlgorithm.AES256, EncryptionKey(os.urandom(32), "k1"))
    other = EncryptionSetting(EncryptionMode.SSE_C, EncryptionAlgorithm.AES256, EncryptionKey(os.urandom(32), "k2"))
    small = bucket.upload_bytes(b"customer secret", "ssec/small.txt", encryption=key)
    assert small.server_side_encryption.mode is EncryptionMode.SSE_C
    assert read_back(bucket.download_file_by_id(small.id_, encryption=key)) == b"customer secret"
    assert read_back(bucket.download_file_by_name("ssec/small.txt", encryption=key)) == b"customer secret"
    try:
        read_back(bucket.download_file_by_id(small.id_, encryption=other))
        raise AssertionError("downloaded with the wrong key")
    except SSECKeyError:
        pass
    try:
        read_back(bucket.download_file_by_id(small.id_))
        raise AssertionError("downloaded without the key")
    except B2Error:
        pass
    data = payload(11_000_000, "ssec-large")
    with tempfile.NamedTemporaryFile(delete=False) as handle:
        handle.write(data)
        path = handle.name
    try:
        large = bucket.upload_local_file(path, "ssec/large.bin", encryption=key, min_part_size=5_000_000)
    finally:
        os.unlink(path)
    assert large.server_side_encryption.mode is EncryptionMode.SSE_C
    got = read_back(bucket.download_file_by_name("ssec/large.bin", encryption=key))
    assert hashlib.sha1(got).hexdigest() == hashlib.sha1(data).hexdigest()
    copied = bucket.copy(
        small.id_,
        "ssec/copied.txt",
        source_encryption=key,
        destination_encryption=SSE_B2_AES,
        source_file_info=small.file_info,
        source_content_type=small.content_type,
    )
    assert read_back(bucket.download_file_by_id(copied.id_)) == b"customer secret"


@check("delete every version, then the bucket")
def _():
    for fv, _ in state["bucket"].ls(recursive=True, latest_only=False):
        api.delete_file_version(fv.id_, fv.file_name)
    api.delete_bucket(state["bucket"])
    assert "conformance-b2sdk" not in [b.name for b in api.list_buckets()]


print(json.dumps(results))
sys.exit(0 if results["failed"] == 0 else 1)
