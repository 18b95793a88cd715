"""A body the server cannot read is the client's mistake: 400 or 413 in the JSON error shape,
never a 500, on every kind of POST (JSON, multipart with files, the import)."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from .base import ApiTestCase

BOUNDARY = "BoUnDaRy"
# One JSON endpoint, the multipart endpoint with attachments, the file import and a set-up one.
ENDPOINTS = (
    "/api/applications",
    "/api/applications/multipart",
    "/api/imports/applications",
    "/api/programmes",
)
# The endpoints that read a multipart body's fields (the others refuse anything but JSON).
MULTIPART_ENDPOINTS = ("/api/applications/multipart", "/api/imports/applications")


def multipart(*parts: tuple[str, str, bytes | str]) -> bytes:
    """A multipart body by hand: (name, filename or "", content) per part."""
    lines = []
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"'
        if filename:
            disposition += f'; filename="{filename}"'
        lines.append(f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode())
        lines.append(content.encode() if isinstance(content, str) else content)
        lines.append(b"\r\n")
    lines.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(lines)


class BadBodyTests(ApiTestCase):
    def post_raw(self, path: str, body: bytes, content_type: str, **headers):
        return self.client.generic(
            "POST",
            path,
            body,
            content_type=content_type,
            headers=self.headers(self.staff, **headers),
        )

    def assertJsonError(self, response, status: int, code: str) -> dict:
        self.assertEqual(response.status_code, status, response.content[:300])
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        body = response.json()
        self.assertEqual(body["code"], code)
        self.assertTrue(body["message"])
        self.assertEqual(set(body), {"code", "message", "fields"})
        return body

    def test_a_multipart_body_without_a_boundary_is_a_400(self):
        for path in ENDPOINTS:
            with self.subTest(path=path):
                response = self.post_raw(path, b"programme=1", "multipart/form-data")
                self.assertJsonError(response, 400, "bad_request")

    def test_a_multipart_body_without_a_boundary_and_an_idempotency_key_is_a_400(self):
        response = self.post_raw(
            "/api/applications/multipart",
            b"programme=1",
            "multipart/form-data",
            **{"Idempotency-Key": "no-boundary"},
        )
        self.assertJsonError(response, 400, "bad_request")

    def test_an_invalid_boundary_is_a_400(self):
        for path in ENDPOINTS:
            with self.subTest(path=path):
                response = self.post_raw(path, b"x", "multipart/form-data; boundary=\x01bad")
                self.assertJsonError(response, 400, "bad_request")

    def test_a_broken_multipart_body_is_refused_without_a_server_error(self):
        bodies = {
            "garbage": b"\x00\xff not multipart at all",
            "truncated": multipart(("programme", "", "1"))[:-20],
            "no header end": f"--{BOUNDARY}\r\nContent-Disposition: form-data".encode(),
            "bad disposition": f"--{BOUNDARY}\r\nContent-Disposition: \r\n\r\nx\r\n--{BOUNDARY}--".encode(),
        }
        for path in ENDPOINTS:
            for name, body in bodies.items():
                with self.subTest(path=path, body=name):
                    response = self.post_raw(
                        path, body, f"multipart/form-data; boundary={BOUNDARY}"
                    )
                    self.assertIn(response.status_code, (400, 422), response.content[:300])
                    self.assertEqual(set(response.json()), {"code", "message", "fields"})

    @override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
    def test_too_many_fields_is_a_400(self):
        body = multipart(*[(f"field{i}", "", "x") for i in range(10)])
        for path in MULTIPART_ENDPOINTS:
            with self.subTest(path=path):
                response = self.post_raw(path, body, f"multipart/form-data; boundary={BOUNDARY}")
                error = self.assertJsonError(response, 400, "bad_request")
                self.assertIn("too many fields", error["message"])

    @override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=2)
    def test_too_many_files_is_a_400(self):
        files = [SimpleUploadedFile(f"bijlage{i}.pdf", b"%PDF-1.4\n") for i in range(3)]
        response = self.client.post(
            "/api/applications/multipart",
            {"programme": self.programme.pk, "attachments": files},
            headers=self.headers(self.staff),
        )
        error = self.assertJsonError(response, 400, "bad_request")
        self.assertIn("too many files", error["message"])

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
    def test_a_body_too_large_is_a_413(self):
        big = {
            "programme": self.programme.pk,
            "municipality": "31005",
            "contact_name": "C",
            "contact_email": "c@brugge.be",
            "question": "x" * 5000,
        }
        json_response = self.post_raw(
            "/api/applications", json.dumps(big).encode(), "application/json"
        )
        self.assertJsonError(json_response, 413, "too_large")
        body = multipart(*[(name, "", str(value)) for name, value in big.items()])
        multipart_response = self.post_raw(
            "/api/applications/multipart", body, f"multipart/form-data; boundary={BOUNDARY}"
        )
        self.assertJsonError(multipart_response, 413, "too_large")

    def test_a_json_endpoint_sent_a_form_says_to_send_json(self):
        response = self.post_raw(
            "/api/applications", b"programme=1", "application/x-www-form-urlencoded"
        )
        self.assertJsonError(response, 400, "bad_request")

    def test_a_patch_with_broken_json_is_a_400(self):
        response = self.client.patch(
            f"/api/programmes/{self.programme.pk}",
            b'{"capacity": ',
            content_type="application/json",
            headers=self.headers(self.staff),
        )
        self.assertJsonError(response, 400, "bad_request")
        self.programme.refresh_from_db()
        self.assertEqual(self.programme.capacity, 83)
