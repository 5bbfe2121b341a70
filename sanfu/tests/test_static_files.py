from pathlib import Path

from core.static_files import StaticStorage


def test_a_static_file_gets_a_gzip_copy_for_nginx_and_no_brotli_copy(
    tmp_path: Path,
) -> None:
    """nginx sends the gzip copies (gzip_static) and has no Brotli module: a
    Brotli copy cost most of collectstatic's time and was never sent."""
    style = tmp_path / "site.css"
    style.write_text("body { color: #333; margin: 0 auto; }\n" * 200)
    compressor = StaticStorage(location=tmp_path).create_compressor(quiet=True)
    written = compressor.compress(str(style))
    assert [Path(name).name for name in written] == ["site.css.gz"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "site.css",
        "site.css.gz",
    ]
