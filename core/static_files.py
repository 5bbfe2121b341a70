"""The static files as collectstatic writes them in production (``STATIC_HASHED``):
hashed names and a gzip copy of each file worth compressing, which nginx sends as
they are (``gzip_static``, deploy/nginx.conf), and WhiteNoise where an app server
answers without nginx.

WhiteNoise's own storage also writes a Brotli copy of each, at Brotli's slowest
setting, whenever the brotli package is installed (fontTools brings it for
WeasyPrint's fonts): 47 of collectstatic's 50 CPU-seconds here (29 s against 3 s).
nginx has no Brotli module, so none of those copies was ever sent; they are not
written.
"""

from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs: Any) -> Compressor:
        return super().create_compressor(use_brotli=False, **kwargs)
