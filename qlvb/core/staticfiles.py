"""Static files as served: hashed names (cached for a year) with a precompressed .gz beside each.

whitenoise's storage compresses every file again at each `collectstatic`, with brotli too: ~40 s of
CPU on every start of scripts/serve.sh. Here a hashed name is its content, so a file whose .gz is
already there is done; and gzip only, since nginx's gzip_static (deploy/nginx-qlvb.conf) serves .gz
and Debian's nginx has no brotli module.
"""

import os

from whitenoise.storage import CompressedManifestStaticFilesStorage


class CompressedManifestStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return super().create_compressor(use_brotli=False, **kwargs)

    def compress_files(self, paths):
        todo = [p for p in paths if not os.path.exists(self.path(p) + ".gz")]
        yield from super().compress_files(todo)
