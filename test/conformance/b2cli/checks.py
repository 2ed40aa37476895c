"""Conformance checks: the official `backblaze-b2` CLI against the mediaferry B2 emulator.

Usage: checks.py '{"url": ..., "keyId": ..., "key": ...}'. One PASS/FAIL line per check, then a JSON summary.
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

endpoint = json.loads(sys.argv[1])
here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix='mf-b2cli-')
env = dict(os.environ, B2_ACCOUNT_INFO=os.path.join(work, 'account_info'))
results = {"passed": 0, "failed": 0}


def b2(*args):
    done = subprocess.run([sys.executable, os.path.join(here, 'realm.py'), endpoint['url'], *args], env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise AssertionError(f"b2 {' '.join(args[:1])} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return done.stdout


def check(name, fn):
    try:
        fn()
        results["passed"] += 1
        print(f"PASS b2 CLI: {name}", flush=True)
    except Exception as error:  # noqa: BLE001 - every failure is a failed check
        results["failed"] += 1
        print(f"FAIL b2 CLI: {name}: {error}", flush=True)


data = os.path.join(work, 'clip one.bin')
with open(data, 'wb') as handle:
    handle.write(hashlib.sha256(b'cli').digest() * 4096)


def authorize():
    out = b2('authorize-account', '--dev', endpoint['keyId'], endpoint['key'])
    assert endpoint['url'] in out, out


def list_buckets():
    assert 'mediaferry-demo' in b2('list-buckets')


def create_bucket():
    b2('create-bucket', 'b2cli-conformance', 'allPrivate')
    assert 'b2cli-conformance' in b2('list-buckets')


def upload():
    out = b2('upload-file', '--noProgress', '--info', 'team=ferry', 'b2cli-conformance', data, 'dir/clip one.bin')
    # The CLI prints the download URLs first, then the file version as JSON.
    info = json.loads(out[out.index('{'):])
    assert info['size'] == os.path.getsize(data), info
    stored = json.loads(b2('get-file-info', info['fileId']))
    assert stored['fileInfo'].get('team') == 'ferry', stored
    assert stored['contentSha1'] == hashlib.sha1(open(data, 'rb').read()).hexdigest(), stored


def ls():
    assert 'dir/clip one.bin' in b2('ls', '--recursive', 'b2cli-conformance')


def download():
    target = os.path.join(work, 'back.bin')
    out = b2('download-file-by-name', '--noProgress', 'b2cli-conformance', 'dir/clip one.bin', target)
    assert 'checksum matches' in out, out
    with open(data, 'rb') as a, open(target, 'rb') as b:
        assert a.read() == b.read()


def hide_and_delete():
    b2('hide-file', 'b2cli-conformance', 'dir/clip one.bin')
    versions = b2('ls', '--versions', '--recursive', 'b2cli-conformance')
    assert versions.count('dir/clip one.bin') == 2, versions
    listing = json.loads(b2('list-file-versions', 'b2cli-conformance'))
    for version in listing['files']:
        b2('delete-file-version', version['fileName'], version['fileId'])
    b2('delete-bucket', 'b2cli-conformance')
    assert 'b2cli-conformance' not in b2('list-buckets')


for name, fn in [
    ('authorize-account against a custom realm', authorize),
    ('list-buckets', list_buckets),
    ('create-bucket', create_bucket),
    ('upload-file with file info and a space in the name', upload),
    ('ls --recursive', ls),
    ('download-file-by-name with checksum verification', download),
    ('hide-file, versions, delete-file-version, delete-bucket', hide_and_delete),
]:
    check(name, fn)

print(json.dumps(results))
sys.exit(0 if results["failed"] == 0 else 1)
