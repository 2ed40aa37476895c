"""Backblaze's b2sdk (Debian python3-b2sdk) as a peer in `npm run bench -- peers`.

Usage: python-b2sdk.py (not b2sdk.py: that name would shadow the package) '{"url", "keyId", "key", "bucket", "op": "upload"|"download", "name", "path"}'.
Authorizes with the emulator's URL as realm (as test/conformance/b2sdk does), then times only the transfer
call, as a program using the SDK would see it; prints {"ms": ...} on its last line.
"""
import json
import sys
import time

from b2sdk.v2 import B2Api, InMemoryAccountInfo

job = json.loads(sys.argv[1])
api = B2Api(InMemoryAccountInfo())
api.authorize_account(job["url"], job["keyId"], job["key"])
bucket = api.get_bucket_by_name(job["bucket"])

started = time.perf_counter()
if job["op"] == "upload":
    version = bucket.upload_local_file(job["path"], job["name"])
    result = {"fileId": version.id_}
else:
    bucket.download_file_by_name(job["name"]).save_to(job["path"])
    result = {}
result["ms"] = (time.perf_counter() - started) * 1000
print(json.dumps(result), flush=True)
