#!/usr/bin/env bash
# Checks an S3 endpoint (as started by testenv/s3/start.sh) with plain, unsigned curl requests:
# bucket + object CRUD, listing, ranges, copy, conditional writes, multipart upload, error codes.
# Usage: testenv/s3/smoke-test.sh <endpoint-url>     e.g. http://127.0.0.1:9090
# Prints one line per check and ends with "N passed, N failed"; exit 1 if any check failed.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 <endpoint-url>" >&2; exit 2; }
E=${1%/}
B=smoke-$$-$RANDOM
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0

check() {  # check <name> <expected> <actual>
  if [ "$2" = "$3" ]; then pass=$((pass + 1)); echo "ok   $1"
  else fail=$((fail + 1)); echo "FAIL $1: expected '$2', got '$3'"; fi
}
# req <out-body> <curl args...>: prints the HTTP status; headers go to $TMP/h
req() { local out=$1; shift; curl -s -o "$out" -D "$TMP/h" -w '%{http_code}' --max-time 60 "$@" || echo 000; }
hdr() { tr -d '\r' <"$TMP/h" | sed -n "s/^$1: //Ip" | head -1; }
code_of() { sed -n 's:.*<Code>\(.*\)</Code>.*:\1:p' "$1"; }
etag_of() { sed -n 's:.*<ETag>\(.*\)</ETag>.*:\1:p' "$1" | sed 's/&quot;/"/g'; }

check "ListBuckets" 200 "$(req "$TMP/b" "$E/")"
check "CreateBucket" 200 "$(req "$TMP/b" -X PUT "$E/$B")"
check "CreateBucket again -> 409" 409 "$(req "$TMP/b" -X PUT "$E/$B")"

printf 'hello scoreline\n' >"$TMP/small"
MD5=$(md5sum "$TMP/small" | cut -d' ' -f1)
check "PutObject" 200 "$(req "$TMP/b" -X PUT -H 'Content-Type: text/plain' --data-binary @"$TMP/small" "$E/$B/dir/a.txt")"
check "PutObject ETag is MD5" "\"$MD5\"" "$(hdr ETag)"
check "GetObject" 200 "$(req "$TMP/got" "$E/$B/dir/a.txt")"
check "GetObject body" "$MD5" "$(md5sum "$TMP/got" | cut -d' ' -f1)"
check "GetObject Content-Type" "text/plain" "$(hdr Content-Type)"
check "HeadObject" 200 "$(req /dev/null -I "$E/$B/dir/a.txt")"
check "HeadObject Content-Length" 16 "$(hdr Content-Length)"
check "GetObject Range -> 206" 206 "$(req "$TMP/got" -H 'Range: bytes=0-4' "$E/$B/dir/a.txt")"
check "GetObject Range body" hello "$(cat "$TMP/got")"
req "$TMP/b" "$E/$B?list-type=2&prefix=dir/" >/dev/null
check "ListObjectsV2 finds the key" "dir/a.txt" "$(sed -n 's:.*<Key>\(.*\)</Key>.*:\1:p' "$TMP/b")"

check "PUT If-None-Match:* (new key)" 200 "$(req "$TMP/b" -X PUT -H 'If-None-Match: *' --data-binary v1 "$E/$B/cond")"
check "PUT If-None-Match:* (existing) -> 412" 412 "$(req "$TMP/b" -X PUT -H 'If-None-Match: *' --data-binary v2 "$E/$B/cond")"
check "  error code" PreconditionFailed "$(code_of "$TMP/b")"
req "$TMP/got" "$E/$B/cond" >/dev/null
check "  object unchanged" v1 "$(cat "$TMP/got")"
ET=$(hdr ETag)
check "PUT If-Match wrong ETag -> 412" 412 "$(req "$TMP/b" -X PUT -H 'If-Match: "0123"' --data-binary v3 "$E/$B/cond")"
check "PUT If-Match current ETag" 200 "$(req "$TMP/b" -X PUT -H "If-Match: $ET" --data-binary v4 "$E/$B/cond")"
ET=$(hdr ETag)
check "GET If-None-Match current ETag -> 304" 304 "$(req "$TMP/b" -H "If-None-Match: $ET" "$E/$B/cond")"

check "CopyObject" 200 "$(req "$TMP/b" -X PUT -H "x-amz-copy-source: /$B/dir/a.txt" "$E/$B/copy.txt")"
req "$TMP/got" "$E/$B/copy.txt" >/dev/null
check "  copy body" "$MD5" "$(md5sum "$TMP/got" | cut -d' ' -f1)"

# Multipart: 5 MiB + 1000 bytes (every part but the last must be >= 5 MiB).
head -c 5242880 /dev/urandom >"$TMP/p1"
head -c 1000 /dev/urandom >"$TMP/p2"
check "CreateMultipartUpload" 200 "$(req "$TMP/b" -X POST "$E/$B/big.bin?uploads")"
UP=$(sed -n 's:.*<UploadId>\(.*\)</UploadId>.*:\1:p' "$TMP/b")
check "UploadPart 1" 200 "$(req "$TMP/b" -X PUT --data-binary @"$TMP/p1" "$E/$B/big.bin?partNumber=1&uploadId=$UP")"
E1=$(hdr ETag)
check "UploadPart 2" 200 "$(req "$TMP/b" -X PUT --data-binary @"$TMP/p2" "$E/$B/big.bin?partNumber=2&uploadId=$UP")"
E2=$(hdr ETag)
check "ListParts" 200 "$(req "$TMP/b" "$E/$B/big.bin?uploadId=$UP")"
check "  2 parts listed" 2 "$(grep -o '<Part>' "$TMP/b" | wc -l | tr -d ' ')"
XML="<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>$E1</ETag></Part><Part><PartNumber>2</PartNumber><ETag>$E2</ETag></Part></CompleteMultipartUpload>"
check "CompleteMultipartUpload" 200 "$(req "$TMP/b" -X POST -H 'Content-Type: application/xml' --data-binary "$XML" "$E/$B/big.bin?uploadId=$UP")"
check "  ETag has part count" "-2\"" "$(etag_of "$TMP/b" | grep -o -- '-[0-9]*"$')"
req "$TMP/got" "$E/$B/big.bin" >/dev/null
check "  body = parts concatenated" "$(cat "$TMP/p1" "$TMP/p2" | md5sum | cut -d' ' -f1)" "$(md5sum "$TMP/got" | cut -d' ' -f1)"
req "$TMP/b" -X POST "$E/$B/big.bin?uploads" >/dev/null
UP=$(sed -n 's:.*<UploadId>\(.*\)</UploadId>.*:\1:p' "$TMP/b")
req "$TMP/b" -X PUT --data-binary tiny "$E/$B/big.bin?partNumber=1&uploadId=$UP" >/dev/null
XML="<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>$(hdr ETag)</ETag></Part></CompleteMultipartUpload>"
check "Complete If-None-Match:* (existing) -> 412" 412 "$(req "$TMP/b" -X POST -H 'If-None-Match: *' -H 'Content-Type: application/xml' --data-binary "$XML" "$E/$B/big.bin?uploadId=$UP")"
check "AbortMultipartUpload" 204 "$(req "$TMP/b" -X DELETE "$E/$B/big.bin?uploadId=$UP")"

check "DeleteObject" 204 "$(req "$TMP/b" -X DELETE "$E/$B/copy.txt")"
check "GetObject deleted -> 404" 404 "$(req "$TMP/b" "$E/$B/copy.txt")"
check "  error code" NoSuchKey "$(code_of "$TMP/b")"
check "GetObject missing bucket -> 404" 404 "$(req "$TMP/b" "$E/no-such-bucket-$$/x")"
check "  error code" NoSuchBucket "$(code_of "$TMP/b")"
check "DeleteObjects" 200 "$(req "$TMP/b" -X POST -H 'Content-Type: application/xml' --data-binary "<Delete><Object><Key>dir/a.txt</Key></Object><Object><Key>cond</Key></Object><Object><Key>big.bin</Key></Object></Delete>" "$E/$B?delete")"
check "  3 deleted" 3 "$(grep -o '<Deleted>' "$TMP/b" | wc -l | tr -d ' ')"
check "DeleteBucket (empty)" 204 "$(req "$TMP/b" -X DELETE "$E/$B")"

# Not a requirement, an observation: S3Mock does not verify credentials or signatures at all.
auth=$(req /dev/null -H 'Authorization: AWS4-HMAC-SHA256 Credential=BOGUS/20000101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' "$E/")
echo "info request with a bogus SigV4 signature -> HTTP $auth (200 = credentials are not checked)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
