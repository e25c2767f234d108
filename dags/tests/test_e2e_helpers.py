"""The end-to-end helpers' own logic that the scenarios cannot check (S3Mock ignores signatures)."""

from __future__ import annotations

from e2e import sigv4_authorization


def test_s3_signature_matches_the_aws_documentation_example():
    # "Example: GET Object" of AWS's Signature Version 4 documentation for S3 (header-based auth).
    headers = {
        "host": "examplebucket.s3.amazonaws.com",
        "range": "bytes=0-9",
        "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "x-amz-date": "20130524T000000Z",
    }
    authorization = sigv4_authorization(
        "GET",
        "/test.txt",
        headers,
        "us-east-1",
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    assert authorization == (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    )
