"""Conformance checks: the official `backblaze-b2` CLI against the mediaferry B2 emulator.

Usage: checks.py '{"url": ..., "keyId": ..., "key": ...}'. One PASS/FAIL line per check, then a JSON summary.

Debian's CLI (1.3.8) predates File Lock and server-side encryption: it has no flags for them. Those checks set
the lock or the encryption up with plain B2 API calls (`raw`), then see what the CLI makes of the result:
whether it reads, lists, downloads and verifies such files, and how it fails where B2 refuses.
"""
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

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


def b2_fails(*args):
    """Runs a CLI command that B2 must refuse; returns its error output."""
    done = subprocess.run([sys.executable, os.path.join(here, 'realm.py'), endpoint['url'], *args], env=env, capture_output=True, text=True, timeout=120)
    if done.returncode == 0:
        raise AssertionError(f"b2 {args[0]} succeeded where B2 refuses: {done.stdout.strip()[-300:]}")
    return done.stderr + done.stdout


def http(url, body=None, headers=None, method=None):
    """One plain HTTP exchange; returns (status, headers, body bytes), errors included."""
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


session = {}


def authorized():
    """The account session of the raw calls: {accountId, authorizationToken, ...}."""
    if not session:
        basic = base64.b64encode(f"{endpoint['keyId']}:{endpoint['key']}".encode()).decode()
        _, _, answer = http(f"{endpoint['url']}/b2api/v2/b2_authorize_account", headers={'Authorization': f'Basic {basic}'})
        session.update(json.loads(answer))
    return session


def raw(name, **body):
    """A B2 API call outside the CLI (for what the 1.3.8 CLI cannot ask for)."""
    status, _, answer = http(f"{endpoint['url']}/b2api/v2/{name}", body, {'Authorization': authorized()['authorizationToken']})
    parsed = json.loads(answer)
    if status != 200:
        raise AssertionError(f"{name}: {status} {parsed}")
    return parsed


def local_file(name, content):
    path = os.path.join(work, name)
    with open(path, 'wb') as handle:
        handle.write(content)
    return path


def upload_json(out):
    # The CLI prints the download URLs first, then the file version as JSON.
    return json.loads(out[out.index('{'):])


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
    info = upload_json(out)
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


def raw_upload(bucket_name, file_name, data, headers=None):
    """Uploads through plain HTTP (fast enough for several versions to share an upload second)."""
    bucket_id = [b for b in raw('b2_list_buckets', accountId=authorized()['accountId'])['buckets'] if b['bucketName'] == bucket_name][0]['bucketId']
    target = raw('b2_get_upload_url', bucketId=bucket_id)
    status, _, answer = http(target['uploadUrl'], data, {
        'Authorization': target['authorizationToken'], 'X-Bz-File-Name': file_name, 'Content-Type': 'text/plain',
        'X-Bz-Content-Sha1': hashlib.sha1(data).hexdigest(), **(headers or {}),
    })
    assert status == 200, answer
    return json.loads(answer)


def versions_back_to_back():
    contents = [b'first', b'second', b'third', b'fourth', b'fifth']
    uploaded = [raw_upload('b2cli-conformance', 'same/x.txt', content)['fileId'] for content in contents]
    listing = json.loads(b2('list-file-versions', 'b2cli-conformance', 'same/'))
    ids = [v['fileId'] for v in listing['files'] if v['fileName'] == 'same/x.txt']
    assert ids == list(reversed(uploaded)), ids
    names = json.loads(b2('list-file-names', 'b2cli-conformance', 'same/'))
    assert [f['fileId'] for f in names['files'] if f['fileName'] == 'same/x.txt'] == [uploaded[-1]], names
    target = os.path.join(work, 'latest.txt')
    out = b2('download-file-by-name', '--noProgress', 'b2cli-conformance', 'same/x.txt', target)
    assert f'File id:      {uploaded[-1]}' in out, out
    with open(target, 'rb') as handle:
        assert handle.read() == b'fifth'


def download_headers():
    source = local_file('dressed.txt', b'dressed')
    b2('upload-file', '--noProgress', '--info', 'b2-content-disposition=attachment', '--info', 'b2-cache-control=max-age=60', '--info', 'team=ferry', 'b2cli-conformance', source, 'headers/dressed.txt')
    b2('upload-file', '--noProgress', 'b2cli-conformance', source, 'headers/plain.txt')
    dressed = b2('download-file-by-name', '--noProgress', 'b2cli-conformance', 'headers/dressed.txt', os.path.join(work, 'd1'))
    # b2-* infos arrive as real headers, so the CLI (which lists X-Bz-Info-* headers) sees only the custom one.
    assert 'INFO team: ferry' in dressed and 'b2-' not in dressed.split('Content sha1:')[1], dressed
    plain = b2('download-file-by-name', '--noProgress', 'b2cli-conformance', 'headers/plain.txt', os.path.join(work, 'd2'))
    infos = [line for line in plain.splitlines() if line.startswith('INFO')]
    assert [line.split(':')[0] for line in infos] == ['INFO src_last_modified_millis'], plain
    assert 'checksum matches' in plain, plain
    token = authorized()['authorizationToken']
    for name, expected in (('plain.txt', None), ('dressed.txt', 'max-age=60')):
        status, headers, _ = http(f"{endpoint['url']}/file/b2cli-conformance/headers/{name}", headers={'Authorization': token})
        assert status == 200 and headers.get('Cache-Control') == expected, (name, headers.items())
    assert headers.get('Content-Disposition') == 'attachment', headers.items()


def file_lock():
    bucket = raw('b2_create_bucket', accountId=authorized()['accountId'], bucketName='b2cli-locked', bucketType='allPrivate', fileLockEnabled=True)
    assert 'b2cli-locked' in b2('list-buckets')
    out = b2('upload-file', '--noProgress', 'b2cli-locked', local_file('held.txt', b'held'), 'held.txt')
    file_id = upload_json(out)['fileId']
    until = int(time.time() * 1000) + 86_400_000
    raw('b2_update_file_legal_hold', fileId=file_id, fileName='held.txt', legalHold='on')
    raw('b2_update_file_retention', fileId=file_id, fileName='held.txt', fileRetention={'mode': 'governance', 'retainUntilTimestamp': until})
    info = json.loads(b2('get-file-info', file_id))
    assert info['legalHold'] == {'isClientAuthorizedToRead': True, 'value': 'on'}, info
    assert info['fileRetention']['value'] == {'mode': 'governance', 'retainUntilTimestamp': until}, info
    refused = b2_fails('delete-file-version', 'held.txt', file_id)
    assert 'access_denied' in refused or 'denied' in refused.lower(), refused
    raw('b2_update_file_legal_hold', fileId=file_id, fileName='held.txt', legalHold='off')
    b2_fails('delete-file-version', 'held.txt', file_id)
    raw('b2_update_file_retention', fileId=file_id, fileName='held.txt', fileRetention={'mode': None, 'retainUntilTimestamp': None}, bypassGovernance=True)
    b2('delete-file-version', 'held.txt', file_id)
    assert bucket['fileLockConfiguration']['value']['isFileLockEnabled'] is True


def sse_b2():
    raw('b2_create_bucket', accountId=authorized()['accountId'], bucketName='b2cli-sse', bucketType='allPrivate', defaultServerSideEncryption={'mode': 'SSE-B2', 'algorithm': 'AES256'})
    source = local_file('sse.bin', hashlib.sha256(b'sse').digest() * 1000)
    out = b2('upload-file', '--noProgress', 'b2cli-sse', source, 'sse.bin')
    info = json.loads(b2('get-file-info', upload_json(out)['fileId']))
    assert info['serverSideEncryption'] == {'algorithm': 'AES256', 'mode': 'SSE-B2'}, info
    target = os.path.join(work, 'sse-back.bin')
    assert 'checksum matches' in b2('download-file-by-name', '--noProgress', 'b2cli-sse', 'sse.bin', target)
    with open(source, 'rb') as a, open(target, 'rb') as b:
        assert a.read() == b.read()


def sse_c():
    key = os.urandom(32)
    secret = {
        'X-Bz-Server-Side-Encryption-Customer-Algorithm': 'AES256',
        'X-Bz-Server-Side-Encryption-Customer-Key': base64.b64encode(key).decode(),
        'X-Bz-Server-Side-Encryption-Customer-Key-Md5': base64.b64encode(hashlib.md5(key).digest()).decode(),
    }
    data = b'customer-keyed bytes'
    stored = raw_upload('b2cli-conformance', 'ssec.txt', data, secret)
    info = json.loads(b2('get-file-info', stored['fileId']))
    assert info['serverSideEncryption'] == {'algorithm': 'AES256', 'mode': 'SSE-C'}, info
    assert secret['X-Bz-Server-Side-Encryption-Customer-Key'] not in json.dumps(info)
    # The CLI cannot send a customer key: B2 refuses it the file (400), and it says so instead of writing bytes.
    out_path = os.path.join(work, 'ssec-back.txt')
    refused = b2_fails('download-file-by-name', '--noProgress', 'b2cli-conformance', 'ssec.txt', out_path)
    assert '400' in refused or 'bad_request' in refused, refused
    assert not os.path.exists(out_path) or os.path.getsize(out_path) == 0
    status, headers, body = http(f"{endpoint['url']}/file/b2cli-conformance/ssec.txt", headers={'Authorization': authorized()['authorizationToken'], **secret})
    assert status == 200 and body == data, (status, body)
    assert headers.get('X-Bz-Server-Side-Encryption-Customer-Key-Md5') == secret['X-Bz-Server-Side-Encryption-Customer-Key-Md5']
    b2('delete-file-version', 'ssec.txt', stored['fileId'])


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
    ('versions of one name back to back: newest first, latest by name', versions_back_to_back),
    ('download headers with and without b2-* infos', download_headers),
    ('File Lock: legal hold and governance retention refuse delete-file-version', file_lock),
    ('SSE-B2 bucket default: upload, get-file-info, verified download', sse_b2),
    ('SSE-C: stored with a key, refused to the keyless CLI, read back with the key', sse_c),
    ('hide-file, versions, delete-file-version, delete-bucket', hide_and_delete),
]:
    check(name, fn)

print(json.dumps(results))
sys.exit(0 if results["failed"] == 0 else 1)
