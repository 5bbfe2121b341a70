"""What the upload checker costs: a 12-megapixel phone photo (verified, decoded,
turned upright and re-encoded without metadata), a PDF of the same size (first
bytes only) and a decompression bomb (refused from its header), against a floor
measured in the same run: SHA-256 of the photo's bytes.

Run: ``python -m bench.uploads``"""

import contextlib
import hashlib
import io
import os
import time
from collections.abc import Callable

import django


def best(run: Callable[[], object], times: int = 5) -> float:
    seconds = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    return min(seconds)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanfu.settings")
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from files import uploads
    from files.evidence import ALLOWED
    from sanfu.tests.files import decompression_bomb

    output = io.BytesIO()
    Image.effect_noise((4000, 3000), 40).convert("RGB").save(output, "JPEG")
    photo = output.getvalue()
    pdf = b"%PDF-1.4\n" + os.urandom(len(photo))
    bomb = decompression_bomb()

    def check(name: str, content: bytes, content_type: str) -> None:
        upload = SimpleUploadedFile(name, content, content_type)
        with contextlib.suppress(Exception):
            uploads.check_upload(upload, ALLOWED, max_bytes=50 * 2**20)

    floor = best(lambda: hashlib.sha256(photo).digest())
    figures = {
        "photo": best(lambda: check("p.jpg", photo, "image/jpeg")),
        "pdf": best(lambda: check("p.pdf", pdf, "application/pdf")),
        "bomb": best(lambda: check("b.png", bomb, "image/png")),
    }
    print(f"photo {len(photo) / 2**20:.1f} MiB; floor {floor * 1000:.1f} ms")
    for name, seconds in figures.items():
        print(f"{name}: {seconds * 1000:.2f} ms = {seconds / floor:.2f} × floor")
    print("load average", os.getloadavg())


if __name__ == "__main__":
    main()
